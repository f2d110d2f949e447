package io.kubefim.api.compile;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.kubefim.api.policy.FimPolicySpec;
import java.util.List;
import java.util.Map;

/**
 * Which nodes a policy selects, with Kubernetes LabelSelector semantics (matchLabels AND every
 * matchExpression; In, NotIn, Exists, DoesNotExist; NotIn and DoesNotExist match a node without the
 * label).
 *
 * <p>A policy selects a node only when its selector matches and the node's OS ({@link
 * NodeOs#ofNode}: {@value #OS_LABEL}, absent = Linux) is one the policy targets ({@link
 * NodeOs#targetedBy}: its selector admits it and the policy has rules for it). A selector that says
 * nothing about {@value #OS_LABEL} admits Linux only, so an absent selector is "every Linux node"
 * (SPEC §2). The operator, config-service and the compiler all count target nodes with this class.
 * Pure and thread-safe; the policy must be valid (see {@code PolicyValidator}).
 */
public final class NodeSelection {
  /** The well-known node label holding the operating system. */
  public static final String OS_LABEL = "kubernetes.io/os";

  /** {@value #OS_LABEL} of Linux nodes. */
  public static final String LINUX = "linux";

  private NodeSelection() {}

  /** True when the policy with this spec applies to a node with these labels. */
  public static boolean selects(FimPolicySpec spec, Map<String, String> nodeLabels) {
    LabelSelector selector = spec == null ? null : spec.getNodeSelector();
    Map<String, String> labels = nodeLabels == null ? Map.of() : nodeLabels;
    if (spec == null || !matches(selector, labels)) {
      return false;
    }
    return NodeOs.ofNode(labels).map(os -> NodeOs.targetedBy(spec).contains(os)).orElse(false);
  }

  /** Plain Kubernetes LabelSelector matching; a null or empty selector matches every node. */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        if (!matches(r, labels)) {
          return false;
        }
      }
    }
    return true;
  }

  /** True when the selector names {@value #OS_LABEL} in matchLabels or in an expression. */
  public static boolean constrainsOs(LabelSelector selector) {
    if (selector == null) {
      return false;
    }
    if (selector.getMatchLabels() != null && selector.getMatchLabels().containsKey(OS_LABEL)) {
      return true;
    }
    return selector.getMatchExpressions() != null
        && selector.getMatchExpressions().stream().anyMatch(r -> OS_LABEL.equals(r.getKey()));
  }

  /** One requirement against a node's labels. */
  static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default ->
          throw new IllegalArgumentException(
              "unknown selector operator \"" + r.getOperator() + "\": validate the policy first");
    };
  }
}
