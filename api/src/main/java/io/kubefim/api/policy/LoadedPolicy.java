package io.kubefim.api.policy;

import java.util.Map;

/**
 * A policy read from a file, with where it came from.
 *
 * @param policy the parsed policy (not yet validated)
 * @param source the file, as the caller named it
 * @param line the first line of its YAML document
 * @param fieldLines the line of every field path in the document ({@code spec.rules[0].paths[1]}),
 *     for locating validation problems
 */
public record LoadedPolicy(
    FimPolicy policy, String source, int line, Map<String, Integer> fieldLines) {
  public LoadedPolicy {
    fieldLines = Map.copyOf(fieldLines);
  }

  /**
   * Places a validation problem of this policy in its file: on the line of its field, else of the
   * nearest enclosing field that exists ({@code spec.rules} for a missing {@code
   * spec.rules[0].paths}), else of the document.
   */
  public FileProblem locate(ValidationProblem problem) {
    String path = problem.fieldPath();
    while (!path.isEmpty()) {
      Integer at = fieldLines.get(path);
      if (at != null) {
        return new FileProblem(source, at, problem.fieldPath(), problem.message());
      }
      path = parentPath(path);
    }
    return new FileProblem(source, line, problem.fieldPath(), problem.message());
  }

  private static String parentPath(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }
}
