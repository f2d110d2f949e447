package io.kubefim.api.compile;

import io.fabric8.kubernetes.api.model.Toleration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The union of tolerations, in canonical form so that equal tolerations written differently count
 * once: an absent operator is {@code Equal} (the Kubernetes default), empty strings are absent, an
 * {@code Exists} toleration has no value. Sorted by key, operator, value, effect, seconds. Not
 * thread-safe; one instance per plan.
 */
final class TolerationUnion {
  private static final Comparator<Toleration> ORDER =
      Comparator.comparing((Toleration t) -> nullToEmpty(t.getKey()))
          .thenComparing(t -> t.getOperator())
          .thenComparing(t -> nullToEmpty(t.getValue()))
          .thenComparing(t -> nullToEmpty(t.getEffect()))
          .thenComparing(t -> t.getTolerationSeconds(), Comparator.nullsFirst(Long::compare));

  private final TreeSet<Toleration> tolerations = new TreeSet<>(ORDER);

  void addAll(List<Toleration> list) {
    if (list == null) {
      return;
    }
    for (Toleration t : list) {
      String operator = emptyToNull(t.getOperator());
      operator = operator == null ? "Equal" : operator;
      String value = operator.equals("Exists") ? null : emptyToNull(t.getValue());
      tolerations.add(
          new Toleration(
              emptyToNull(t.getEffect()),
              emptyToNull(t.getKey()),
              operator,
              t.getTolerationSeconds(),
              value));
    }
  }

  List<Toleration> toList() {
    return List.copyOf(tolerations);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String nullToEmpty(String s) {
    return Objects.requireNonNullElse(s, "");
  }
}
