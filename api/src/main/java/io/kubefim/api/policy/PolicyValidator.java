package io.kubefim.api.policy;

import io.kubefim.api.compile.NodeOs;
import io.kubefim.api.compile.NodeSelection;
import io.kubefim.api.glob.GlobSyntaxException;
import io.kubefim.api.glob.PathFilter;
import io.kubefim.api.glob.PathGlob;
import io.kubefim.api.windows.WindowsPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@link FimPolicy} against SPEC §2 and reports every problem at once, in document order.
 * It covers what the CRD schema checks (so local mode, which has no API server, rejects the same
 * policies) and what the schema cannot say (glob syntax, filter syntax, exact duration and quantity
 * ranges, label selector operators).
 *
 * <p>Pure and thread-safe, and never throws: a check that fails with an unexpected exception is
 * itself a problem of that field. A policy with no problems is safe to hand to the compiler: every
 * path compiles as a {@link PathGlob}, every filter as a {@link PathFilter} (globs are checked by
 * compiling them, with the same code the agent runs), every duration and quantity parses.
 */
public final class PolicyValidator {
  /**
   * The shortest {@code scanInterval}: a full rescan more often than this is a denial of service.
   */
  public static final Duration MIN_SCAN_INTERVAL = Duration.ofMinutes(5);

  /** The longest {@code debounce}. */
  public static final Duration MAX_DEBOUNCE = Duration.ofHours(1);

  /** metadata.name of a cluster-scoped object: an RFC 1123 DNS subdomain. */
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

  private static final Pattern SIZE = Pattern.compile(FimRule.SIZE_PATTERN);

  private PolicyValidator() {}

  /**
   * All problems of {@code policy}, its metadata.name included; empty when it is valid.
   *
   * @param policy the policy; null is itself a problem
   */
  public static List<ValidationProblem> validate(FimPolicy policy) {
    List<ValidationProblem> out = new ArrayList<>();
    if (policy == null) {
      out.add(new ValidationProblem("", "policy must not be null"));
      return List.copyOf(out);
    }
    String name = policy.getMetadata() == null ? null : policy.getMetadata().getName();
    if (name == null || name.isEmpty()) {
      out.add(new ValidationProblem("metadata.name", "must be set"));
    } else if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      out.add(
          new ValidationProblem(
              "metadata.name",
              "must be a DNS subdomain: lowercase letters, digits, '-' and '.', at most 253"
                  + " characters"));
    }
    if (policy.getMetadata() != null) {
      ExpectationValidation.validateAnnotations(policy.getMetadata().getAnnotations(), out);
    }
    FimPolicySpec spec = policy.getSpec();
    if (spec == null) {
      out.add(new ValidationProblem("spec", "must be set"));
    } else {
      try {
        validateSpec(spec, out);
      } catch (RuntimeException e) {
        // Never thrown to the caller: one policy the checks trip over must not stop the callers
        // (config-service, the operator, local mode) from serving every other policy (issue 11).
        out.add(new ValidationProblem("spec", notCompilable(e)));
      }
    }
    return List.copyOf(out);
  }

  /** The problem text for a value a check threw on with something other than its own error. */
  static String notCompilable(RuntimeException e) {
    String m = e.getMessage();
    return "cannot be checked ("
        + e.getClass().getSimpleName()
        + (m == null || m.isBlank() ? "" : ": " + m.lines().findFirst().orElse(""))
        + ")";
  }

  /** True when {@link #validate} finds nothing. */
  public static boolean isValid(FimPolicy policy) {
    return validate(policy).isEmpty();
  }

  private static void validateSpec(FimPolicySpec spec, List<ValidationProblem> out) {
    SelectorValidation.validateSelector(spec.getNodeSelector(), "spec.nodeSelector", out);
    SelectorValidation.validateTolerations(spec.getTolerations(), "spec.tolerations", out);
    List<FimRule> rules = spec.getRules();
    if (rules == null || rules.isEmpty()) {
      out.add(new ValidationProblem("spec.rules", "must have at least one rule"));
    } else {
      atMost(rules, FimPolicySpec.MAX_RULES, "rules", "spec.rules", out);
      for (int i = 0; i < rules.size(); i++) {
        validateRule(rules.get(i), "spec.rules[" + i + "]", out);
      }
      if (out.stream().noneMatch(p -> p.fieldPath().startsWith("spec.nodeSelector"))) {
        checkOs(spec, out);
      }
    }
    if (spec.getScanInterval() != null) {
      Duration d = duration(spec.getScanInterval(), "spec.scanInterval", out);
      if (d != null && d.compareTo(MIN_SCAN_INTERVAL) < 0) {
        out.add(new ValidationProblem("spec.scanInterval", "must be at least 5m"));
      }
    }
    if (spec.getDebounce() != null) {
      Duration d = duration(spec.getDebounce(), "spec.debounce", out);
      if (d != null && d.compareTo(MAX_DEBOUNCE) > 0) {
        out.add(new ValidationProblem("spec.debounce", "must be at most 1h"));
      }
    }
    ExpectationValidation.validateSpec(spec, out);
    ScanBudgetValidation.validateSpec(spec, out);
    if (spec.getTags() != null) {
      for (Map.Entry<String, String> tag : spec.getTags().entrySet()) {
        if (tag.getKey() == null || tag.getKey().isEmpty()) {
          out.add(new ValidationProblem("spec.tags", "a tag name must not be empty"));
        } else if (tag.getValue() == null) {
          out.add(new ValidationProblem("spec.tags." + tag.getKey(), "must not be null"));
        }
      }
    }
  }

  /**
   * Every rule must be for an OS the selector admits (issue 15): a Windows rule in a policy for
   * Linux nodes would never apply, and the reverse would reach an agent that cannot run it.
   */
  private static void checkOs(FimPolicySpec spec, List<ValidationProblem> out) {
    Set<NodeOs> admitted = NodeOs.admittedBy(spec.getNodeSelector());
    if (admitted.isEmpty()) {
      out.add(
          new ValidationProblem(
              "spec.nodeSelector",
              "selects no node an agent runs on: "
                  + NodeSelection.OS_LABEL
                  + " must allow linux or windows"));
      return;
    }
    List<FimRule> rules = spec.getRules();
    for (int i = 0; i < rules.size(); i++) {
      FimRule rule = rules.get(i);
      if (rule == null || admitted.contains(NodeOs.ofRule(rule))) {
        continue;
      }
      out.add(
          new ValidationProblem(
              "spec.rules[" + i + "]",
              NodeOs.ofRule(rule) == NodeOs.WINDOWS
                  ? "a Windows rule (C:\\ paths or registry keys), but spec.nodeSelector selects"
                      + " Linux nodes only: add "
                      + NodeSelection.OS_LABEL
                      + ": windows to it, or move the rule to a policy for Windows nodes"
                  : "a Linux rule, but spec.nodeSelector selects Windows nodes only ("
                      + NodeSelection.OS_LABEL
                      + "): move the rule to a policy for Linux nodes"));
    }
  }

  private static void validateRule(FimRule rule, String at, List<ValidationProblem> out) {
    if (rule == null) {
      out.add(new ValidationProblem(at, "must not be null"));
      return;
    }
    List<String> paths = rule.getPaths();
    List<String> keys = rule.getRegistry();
    boolean hasPaths = paths != null && !paths.isEmpty();
    boolean hasKeys = keys != null && !keys.isEmpty();
    if (hasPaths && hasKeys) {
      out.add(
          new ValidationProblem(
              at, "has paths and registry keys: a rule has one of them, put the other in its own"));
    } else if (!hasPaths && !hasKeys) {
      out.add(
          new ValidationProblem(
              at + ".paths", "must have at least one path (or the rule registry keys)"));
    }
    boolean windows = false;
    if (hasPaths) {
      atMost(paths, FimRule.MAX_PATHS, "paths", at + ".paths", out);
      windows = WindowsPaths.looksWindows(paths.get(0));
      for (int j = 0; j < paths.size(); j++) {
        String path = paths.get(j);
        String problem;
        if (path != null && windows != WindowsPaths.looksWindows(path)) {
          problem =
              windows
                  ? "a Linux path in a rule of Windows paths: one rule, one OS; put it in a rule"
                      + " of its own"
                  : "a Windows path in a rule of Linux paths: one rule, one OS; put it in a rule"
                      + " of its own";
        } else {
          problem = windows ? WindowsRules.pathProblem(path) : pathProblem(path);
        }
        if (problem != null) {
          out.add(new ValidationProblem(at + ".paths[" + j + "]", problem));
        }
      }
    }
    if (keys != null) {
      atMost(keys, FimRule.MAX_PATHS, "keys", at + ".registry", out);
      for (int j = 0; j < keys.size(); j++) {
        String problem = WindowsRules.registryProblem(keys.get(j));
        if (problem != null) {
          out.add(new ValidationProblem(at + ".registry[" + j + "]", problem));
        }
      }
      if (hasKeys) {
        WindowsRules.fileOnlyFields(rule, at, out);
      }
    }
    validateFilters(rule.getInclude(), windows, at + ".include", out);
    validateFilters(rule.getExclude(), windows, at + ".exclude", out);
    noNulls(rule.getAttributes(), at + ".attributes", out);
    noNulls(rule.getHashes(), at + ".hashes", out);
    byteQuantity(rule.getMaxFileSize(), at + ".maxFileSize", "byte quantity", "", "64Mi", out);
  }

  /**
   * The bytes of {@code value}, a whole number with an optional suffix ({@link
   * FimRule#SIZE_PATTERN}); null when it is null, or when it is not one, with a problem at {@code
   * field}: "not a {@code what}: "value" ({@code hint}a whole number ...; e.g. {@code example})".
   */
  static Long byteQuantity(
      String value,
      String field,
      String what,
      String hint,
      String example,
      List<ValidationProblem> out) {
    if (value == null) {
      return null;
    }
    if (!SIZE.matcher(value).matches()) {
      out.add(
          new ValidationProblem(
              field,
              "not a "
                  + what
                  + ": \""
                  + value
                  + "\" ("
                  + hint
                  + "a whole number with an optional suffix Ki, Mi, Gi, Ti, k, M, G, T; e.g. "
                  + example
                  + ")"));
      return null;
    }
    try {
      return Quantities.toBytes(value);
    } catch (IllegalArgumentException e) {
      out.add(new ValidationProblem(field, e.getMessage()));
      return null;
    }
  }

  /**
   * Why {@code path} is not a valid rule path, or null when it is. Shared with callers that check a
   * single path (the agent's {@code check} command).
   */
  public static String pathProblem(String path) {
    if (path == null || path.isEmpty()) {
      return "must not be empty";
    }
    if (path.length() > FimRule.MAX_PATH_LENGTH) {
      return "must be at most " + FimRule.MAX_PATH_LENGTH + " characters long";
    }
    if (!path.startsWith("/")) {
      return "must be an absolute path";
    }
    for (int i = 0; i < path.length(); i++) {
      if (Character.isISOControl(path.charAt(i))) {
        return "must not contain control characters";
      }
    }
    PathGlob glob;
    try {
      glob = PathGlob.compile(path); // the very compile path the agent and the planner use
    } catch (GlobSyntaxException e) {
      return e.getMessage();
    } catch (RuntimeException e) {
      return notCompilable(e);
    }
    if (glob.isLiteral() && glob.literalRoot().equals("/")) {
      return "must not be the host root /: name the directories to monitor";
    }
    return null;
  }

  private static void validateFilters(
      List<String> patterns, boolean windows, String at, List<ValidationProblem> out) {
    if (patterns == null) {
      return;
    }
    atMost(patterns, FimRule.MAX_FILTERS, "patterns", at, out);
    for (int k = 0; k < patterns.size(); k++) {
      String pattern = patterns.get(k);
      if (pattern != null && pattern.length() > FimRule.MAX_PATH_LENGTH) {
        out.add(
            new ValidationProblem(
                at + "[" + k + "]",
                "must be at most " + FimRule.MAX_PATH_LENGTH + " characters long"));
        continue;
      }
      try {
        // the very compile path the agent uses; Windows rules' filters in the agent's slash form
        PathFilter.compile(
            windows && pattern != null ? WindowsPaths.toSlashForm(pattern) : pattern);
      } catch (GlobSyntaxException e) {
        out.add(new ValidationProblem(at + "[" + k + "]", e.getMessage()));
      } catch (RuntimeException e) {
        out.add(new ValidationProblem(at + "[" + k + "]", notCompilable(e)));
      }
    }
  }

  private static void noNulls(List<?> values, String at, List<ValidationProblem> out) {
    if (values == null) {
      return;
    }
    for (int k = 0; k < values.size(); k++) {
      if (values.get(k) == null) {
        out.add(new ValidationProblem(at + "[" + k + "]", "must not be null"));
      }
    }
  }

  private static void atMost(
      List<?> list, int max, String what, String at, List<ValidationProblem> out) {
    if (list.size() > max) {
      out.add(new ValidationProblem(at, "must have at most " + max + " " + what));
    }
  }

  private static Duration duration(String text, String at, List<ValidationProblem> out) {
    if (text.length() > FimPolicySpec.MAX_DURATION_LENGTH) {
      out.add(
          new ValidationProblem(
              at, "must be at most " + FimPolicySpec.MAX_DURATION_LENGTH + " characters long"));
      return null;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      out.add(new ValidationProblem(at, e.getMessage()));
      return null;
    }
  }
}
