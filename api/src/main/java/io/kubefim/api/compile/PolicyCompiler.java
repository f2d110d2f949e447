package io.kubefim.api.compile;

import io.kubefim.api.compile.RuleAccumulator.ResolvedRule;
import io.kubefim.api.compile.RuleAccumulator.RuleKey;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentConfig.AppliedPolicy;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.config.ScanBudget;
import io.kubefim.api.glob.HostPaths;
import io.kubefim.api.policy.Attribute;
import io.kubefim.api.policy.Durations;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.FimPolicySpec;
import io.kubefim.api.policy.FimRule;
import io.kubefim.api.policy.HashAlgorithm;
import io.kubefim.api.policy.PolicyValidator;
import io.kubefim.api.policy.Quantities;
import io.kubefim.api.policy.ValidationProblem;
import io.kubefim.api.windows.RegistryPaths;
import io.kubefim.api.windows.WindowsPaths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compiles the FimPolicies that apply to one node into that node's {@link AgentConfig}. A pure
 * function of its arguments: the same policies, in any order, give an equal config with an equal
 * {@link AgentConfig#version()}.
 *
 * <ul>
 *   <li>A policy is applied when it is valid ({@link PolicyValidator}), not paused, and selects the
 *       node ({@link NodeSelection#selects}); of its rules, the node gets those of its own OS
 *       ({@link NodeOs}). Invalid policies, and any policy whose compiling throws, are skipped
 *       whole and reported in {@link CompileResult#rejected()}: one bad policy never stops the
 *       others (never thrown to the caller).
 *   <li>Each path of each rule becomes one {@link AgentRule}, normalized ({@link
 *       HostPaths#normalize}; Windows paths {@link WindowsPaths#normalize}; registry keys with
 *       their full hive name, {@link RegistryPaths.Key#full}), with every default resolved:
 *       recursive true, attributes all, hashes [sha256], maxFileSize 1Gi, realtime true,
 *       scanInterval 6h, debounce 500ms. Include and exclude lists are sorted and deduplicated
 *       (they are sets).
 *   <li>Rules with the same path, recursive, include and exclude merge into one, whichever policies
 *       they come from; see {@link RuleAccumulator} for how each field merges.
 *   <li>Rules are sorted by path, then recursive, include, exclude; applied policies by name. The
 *       version is a content hash of the config and the node name ({@link ConfigVersion}).
 * </ul>
 */
public final class PolicyCompiler {
  private static final long DEFAULT_MAX_FILE_SIZE =
      Quantities.toBytes(FimRule.DEFAULT_MAX_FILE_SIZE);
  private static final long DEFAULT_SCAN_INTERVAL_SECONDS =
      Durations.parse(FimPolicySpec.DEFAULT_SCAN_INTERVAL).getSeconds();
  private static final long DEFAULT_DEBOUNCE_MILLIS =
      Durations.parse(FimPolicySpec.DEFAULT_DEBOUNCE).toMillis();

  private PolicyCompiler() {}

  /**
   * The config of node {@code nodeName}; invalid policies are skipped silently. Use {@link
   * #compileWithProblems} to learn which.
   */
  public static AgentConfig compile(
      Collection<FimPolicy> policies, String nodeName, Map<String, String> nodeLabels) {
    return compileWithProblems(policies, nodeName, nodeLabels).config();
  }

  /**
   * The config of node {@code nodeName} and the problems of every invalid policy. To compile the
   * configs of many nodes from the same policies, use one {@link PolicySet}: it validates once and
   * compiles once for all the nodes that the same policies select.
   */
  public static CompileResult compileWithProblems(
      Collection<FimPolicy> policies, String nodeName, Map<String, String> nodeLabels) {
    return new PolicySet(policies).compile(nodeName, nodeLabels);
  }

  /**
   * The rules of the selected {@code policies} (valid, unpaused, selecting the node) for a node of
   * {@code os}: the node-independent part of a config, shared by every node with that selection.
   */
  static Shared compileSelected(List<FimPolicy> policies, NodeOs os) {
    Map<String, List<ValidationProblem>> rejected = new TreeMap<>();
    List<AppliedPolicy> applied = new ArrayList<>();
    Map<RuleKey, RuleAccumulator> rules = new HashMap<>();
    for (FimPolicy policy : policies) {
      FimPolicySpec spec = policy.getSpec();
      // Resolve the whole policy before adding any of it, so that one that fails half-way
      // contributes nothing rather than half its rules.
      List<Map.Entry<RuleKey, ResolvedRule>> resolvedRules = new ArrayList<>();
      try {
        for (FimRule rule : spec.getRules()) {
          if (NodeOs.ofRule(rule) != os) {
            continue; // a policy for Linux and Windows nodes: each node gets its own OS's rules
          }
          ResolvedRule resolved = resolve(nameOf(policy), spec, rule);
          for (RuleKey key : keys(rule)) {
            resolvedRules.add(Map.entry(key, resolved));
          }
        }
      } catch (RuntimeException e) {
        rejected.merge(nameOf(policy), List.of(cannotCompile(e)), PolicyCompiler::concatSorted);
        continue;
      }
      Long generation = policy.getMetadata().getGeneration();
      applied.add(
          ExpectationCompiler.applied(policy, nameOf(policy), generation == null ? 0 : generation)
              .withScanBudget(ScanBudget.of(policy.getSpec())));
      for (Map.Entry<RuleKey, ResolvedRule> r : resolvedRules) {
        rules.computeIfAbsent(r.getKey(), RuleAccumulator::new).add(r.getValue());
      }
    }
    applied.sort(
        Comparator.comparing(AppliedPolicy::name).thenComparingLong(AppliedPolicy::generation));
    List<AgentRule> compiled =
        List.copyOf(
            rules.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue().toRule())
                .toList());
    return new Shared(List.copyOf(applied), compiled, rejected);
  }

  /** What {@link #compileSelected} made: shared by every node with that selection. */
  record Shared(
      List<AppliedPolicy> applied,
      List<AgentRule> rules,
      Map<String, List<ValidationProblem>> rejected) {}

  static ValidationProblem cannotCompile(RuntimeException e) {
    return new ValidationProblem("spec", "cannot be compiled: " + e);
  }

  private static List<RuleKey> keys(FimRule rule) {
    boolean recursive = rule.getRecursive() == null || rule.getRecursive();
    List<String> include = sortedDistinct(rule.getInclude());
    List<String> exclude = sortedDistinct(rule.getExclude());
    List<RuleKey> keys = new ArrayList<>();
    if (rule.getRegistry() != null && !rule.getRegistry().isEmpty()) {
      for (String key : rule.getRegistry()) {
        keys.add(new RuleKey(RegistryPaths.parse(key).full(), recursive, include, exclude, true));
      }
      return keys;
    }
    for (String path : rule.getPaths()) {
      String normalized =
          WindowsPaths.looksWindows(path)
              ? WindowsPaths.normalize(path)
              : HostPaths.normalize(path);
      keys.add(new RuleKey(normalized, recursive, include, exclude, false));
    }
    return keys;
  }

  private static ResolvedRule resolve(String policyName, FimPolicySpec spec, FimRule rule) {
    Set<Attribute> attributes =
        rule.getAttributes() == null || rule.getAttributes().isEmpty()
            ? EnumSet.allOf(Attribute.class)
            : EnumSet.copyOf(rule.getAttributes());
    Set<HashAlgorithm> hashes =
        rule.getHashes() == null || rule.getHashes().isEmpty()
            ? EnumSet.of(HashAlgorithm.SHA256)
            : EnumSet.copyOf(rule.getHashes());
    long maxFileSize =
        rule.getMaxFileSize() == null
            ? DEFAULT_MAX_FILE_SIZE
            : Quantities.toBytes(rule.getMaxFileSize());
    long scanIntervalSeconds =
        spec.getScanInterval() == null
            ? DEFAULT_SCAN_INTERVAL_SECONDS
            : Durations.parse(spec.getScanInterval()).getSeconds();
    long debounceMillis =
        spec.getDebounce() == null
            ? DEFAULT_DEBOUNCE_MILLIS
            : Durations.parse(spec.getDebounce()).toMillis();
    return new ResolvedRule(
        policyName,
        attributes,
        hashes,
        maxFileSize,
        spec.getRealtime() == null || spec.getRealtime(),
        scanIntervalSeconds,
        debounceMillis,
        spec.getTags() == null ? Map.of() : spec.getTags(),
        Boolean.TRUE.equals(spec.getAttribution()));
  }

  private static List<String> sortedDistinct(List<String> values) {
    return values == null ? List.of() : List.copyOf(new TreeSet<>(values));
  }

  static String nameOf(FimPolicy policy) {
    String name =
        policy == null || policy.getMetadata() == null ? null : policy.getMetadata().getName();
    return name == null ? "" : name;
  }

  static List<ValidationProblem> concatSorted(
      List<ValidationProblem> a, List<ValidationProblem> b) {
    List<ValidationProblem> all = new ArrayList<>(a);
    all.addAll(b);
    all.sort(Comparator.comparing(ValidationProblem::toString));
    return List.copyOf(all);
  }
}
