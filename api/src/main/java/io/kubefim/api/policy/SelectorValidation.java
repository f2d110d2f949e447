package io.kubefim.api.policy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Kubernetes rules for a LabelSelector and for tolerations, as the API server applies them. */
final class SelectorValidation {
  static final Set<String> SELECTOR_OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");
  private static final Set<String> TOLERATION_OPERATORS = Set.of("Exists", "Equal");
  private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  private SelectorValidation() {}

  static void validateSelector(LabelSelector selector, String at, List<ValidationProblem> out) {
    if (selector == null) {
      return;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (e.getKey() == null || e.getKey().isEmpty()) {
          out.add(new ValidationProblem(at + ".matchLabels", "a label key must not be empty"));
        } else if (e.getValue() == null) {
          out.add(new ValidationProblem(at + ".matchLabels." + e.getKey(), "must not be null"));
        }
      }
    }
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
    if (expressions == null) {
      return;
    }
    for (int i = 0; i < expressions.size(); i++) {
      String here = at + ".matchExpressions[" + i + "]";
      LabelSelectorRequirement r = expressions.get(i);
      if (r == null) {
        out.add(new ValidationProblem(here, "must not be null"));
        continue;
      }
      if (r.getKey() == null || r.getKey().isEmpty()) {
        out.add(new ValidationProblem(here + ".key", "must be set"));
      }
      String op = r.getOperator();
      boolean hasValues = r.getValues() != null && !r.getValues().isEmpty();
      if (op == null || !SELECTOR_OPERATORS.contains(op)) {
        out.add(
            new ValidationProblem(
                here + ".operator",
                "unknown operator \"" + op + "\" (allowed: In, NotIn, Exists, DoesNotExist)"));
      } else if ((op.equals("In") || op.equals("NotIn")) && !hasValues) {
        out.add(new ValidationProblem(here + ".values", "must not be empty for " + op));
      } else if ((op.equals("Exists") || op.equals("DoesNotExist")) && hasValues) {
        out.add(new ValidationProblem(here + ".values", "must be empty for " + op));
      }
    }
  }

  static void validateTolerations(
      List<Toleration> tolerations, String at, List<ValidationProblem> out) {
    if (tolerations == null) {
      return;
    }
    for (int i = 0; i < tolerations.size(); i++) {
      String here = at + "[" + i + "]";
      Toleration t = tolerations.get(i);
      if (t == null) {
        out.add(new ValidationProblem(here, "must not be null"));
        continue;
      }
      String op = t.getOperator();
      if (op != null && !op.isEmpty() && !TOLERATION_OPERATORS.contains(op)) {
        out.add(
            new ValidationProblem(
                here + ".operator", "unknown operator \"" + op + "\" (allowed: Exists, Equal)"));
      }
      boolean exists = "Exists".equals(op);
      if (exists && t.getValue() != null && !t.getValue().isEmpty()) {
        out.add(new ValidationProblem(here + ".value", "must be empty for operator Exists"));
      }
      if (!exists && (t.getKey() == null || t.getKey().isEmpty())) {
        out.add(new ValidationProblem(here + ".key", "must be set unless operator is Exists"));
      }
      String effect = t.getEffect();
      if (effect != null && !effect.isEmpty() && !EFFECTS.contains(effect)) {
        out.add(
            new ValidationProblem(
                here + ".effect",
                "unknown effect \""
                    + effect
                    + "\" (allowed: NoSchedule, PreferNoSchedule, NoExecute)"));
      }
      if (t.getTolerationSeconds() != null && !"NoExecute".equals(effect)) {
        out.add(
            new ValidationProblem(
                here + ".tolerationSeconds", "only allowed with effect NoExecute"));
      }
    }
  }
}
