package io.kubefim.api.compile;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.kubefim.api.policy.FimPolicySpec;
import io.kubefim.api.policy.FimRule;
import io.kubefim.api.windows.WindowsPaths;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operating systems KubeFIM agents run on, as the node label {@value NodeSelection#OS_LABEL}
 * names them, and which of them a policy targets (issue 15).
 *
 * <ul>
 *   <li>A rule is a Windows rule when it has registry keys or its paths are Windows paths ({@code
 *       C:\...}); otherwise a Linux rule. One rule, one OS (the validator says so).
 *   <li>A selector admits the OSes its {@value NodeSelection#OS_LABEL} requirements allow; a
 *       selector that says nothing about it admits Linux only (SPEC §2: "absent = every Linux
 *       node"), so a Windows policy says {@code kubernetes.io/os: windows}.
 *   <li>A policy targets the OSes its selector admits <em>and</em> it has rules for: a policy with
 *       Linux and Windows rules and {@code kubernetes.io/os In [linux, windows]} runs on both, each
 *       node getting the rules of its own OS; a Linux rule never reaches a Windows agent.
 * </ul>
 *
 * Pure and thread-safe; the policy must be valid where a method says so.
 */
public enum NodeOs {
  LINUX("linux"),
  WINDOWS("windows");

  private final String label;

  NodeOs(String label) {
    this.label = label;
  }

  /** The value of {@value NodeSelection#OS_LABEL} on nodes of this OS. */
  public String label() {
    return label;
  }

  /** The OS of a node with these labels: absent label = Linux (as SPEC §2); unknown = empty. */
  public static Optional<NodeOs> ofNode(Map<String, String> labels) {
    String os = labels == null ? null : labels.get(NodeSelection.OS_LABEL);
    if (os == null) {
      return Optional.of(LINUX);
    }
    for (NodeOs o : values()) {
      if (o.label.equals(os)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  /** The OS of one rule: Windows with registry keys or a Windows first path, else Linux. */
  public static NodeOs ofRule(FimRule rule) {
    if (rule.getRegistry() != null && !rule.getRegistry().isEmpty()) {
      return WINDOWS;
    }
    List<String> paths = rule.getPaths();
    return paths != null && !paths.isEmpty() && WindowsPaths.looksWindows(paths.get(0))
        ? WINDOWS
        : LINUX;
  }

  /** The OSes a node selector admits, judged by its {@value NodeSelection#OS_LABEL} terms only. */
  public static Set<NodeOs> admittedBy(LabelSelector selector) {
    if (!NodeSelection.constrainsOs(selector)) {
      return EnumSet.of(LINUX);
    }
    EnumSet<NodeOs> out = EnumSet.noneOf(NodeOs.class);
    for (NodeOs os : values()) {
      Map<String, String> labels = Map.of(NodeSelection.OS_LABEL, os.label);
      boolean ok = true;
      if (selector.getMatchLabels() != null
          && selector.getMatchLabels().containsKey(NodeSelection.OS_LABEL)) {
        ok = os.label.equals(selector.getMatchLabels().get(NodeSelection.OS_LABEL));
      }
      if (selector.getMatchExpressions() != null) {
        for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
          if (NodeSelection.OS_LABEL.equals(r.getKey())) {
            ok &= NodeSelection.matches(r, labels);
          }
        }
      }
      if (ok) {
        out.add(os);
      }
    }
    return out;
  }

  /** The OSes a valid policy runs on: admitted by its selector and named by one of its rules. */
  public static Set<NodeOs> targetedBy(FimPolicySpec spec) {
    Set<NodeOs> admitted = admittedBy(spec.getNodeSelector());
    EnumSet<NodeOs> out = EnumSet.noneOf(NodeOs.class);
    if (spec.getRules() != null) {
      for (FimRule rule : spec.getRules()) {
        if (rule != null && admitted.contains(ofRule(rule))) {
          out.add(ofRule(rule));
        }
      }
    }
    return out;
  }
}
