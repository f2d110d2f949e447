package io.kubefim.api.policy;

/**
 * A problem found in a policy file, located for a human: {@code bad.yaml:7:
 * spec.rules[0].hashes[0]: unknown value "sha512" (allowed: sha256, sha1, md5)}.
 *
 * @param source the file, as the caller named it
 * @param line 1-based line in that file (the document's first line when nothing better is known)
 * @param fieldPath Kubernetes field path, or "" when the problem is not about one field (bad YAML)
 * @param message what is wrong
 */
public record FileProblem(String source, int line, String fieldPath, String message) {
  @Override
  public String toString() {
    return source + ":" + line + ": " + (fieldPath.isEmpty() ? "" : fieldPath + ": ") + message;
  }
}
