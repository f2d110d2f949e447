package io.kubefim.api.policy;

import java.util.Objects;

/**
 * One thing wrong with a policy. Rendered as {@code spec.rules[1].paths[0]: must be an absolute
 * path}, the form the operator puts into the {@code Accepted=False} condition message and the agent
 * prints on stderr.
 *
 * @param fieldPath where, in Kubernetes field-path syntax ({@code metadata.name}, {@code
 *     spec.rules[0].exclude[2]})
 * @param message what is wrong, in words, without the field path
 */
public record ValidationProblem(String fieldPath, String message) {
  public ValidationProblem {
    Objects.requireNonNull(fieldPath, "fieldPath");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return fieldPath + ": " + message;
  }
}
