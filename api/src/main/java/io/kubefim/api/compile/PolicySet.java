package io.kubefim.api.compile;

import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.PolicyValidator;
import io.kubefim.api.policy.ValidationProblem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One set of FimPolicies (a snapshot), compiled for many nodes: {@link PolicyCompiler}'s rules
 * applied once per distinct selection instead of once per node. Every policy is validated once, at
 * construction; a node's config depends on its labels only through which valid, unpaused policies
 * select it and its OS, so nodes alike in that (a node pool, however unique their other labels)
 * share one compiled rule list, and each node's config differs only in its name and version ({@link
 * ConfigVersion.Body#forNode}). A fleet of thousands of nodes answered after a policy edit costs a
 * few compiles, not thousands.
 *
 * <p>Threading: safe from any thread; {@link #compile} never blocks on another node's compile but
 * the first of a selection.
 */
public final class PolicySet {
  private final List<FimPolicy> valid = new ArrayList<>();
  private final Map<String, List<ValidationProblem>> invalid = new TreeMap<>();
  private final Map<Selection, Compiled> compiled = new ConcurrentHashMap<>();

  public PolicySet(Collection<FimPolicy> policies) {
    for (FimPolicy policy : policies) {
      List<ValidationProblem> problems = PolicyValidator.validate(policy);
      if (problems.isEmpty()) {
        valid.add(policy);
      } else {
        invalid.merge(PolicyCompiler.nameOf(policy), problems, PolicyCompiler::concatSorted);
      }
    }
  }

  /** The config of node {@code nodeName}, as {@link PolicyCompiler#compileWithProblems}. */
  public CompileResult compile(String nodeName, Map<String, String> nodeLabels) {
    List<Integer> selected = new ArrayList<>();
    Map<String, List<ValidationProblem>> failed = new TreeMap<>();
    for (int i = 0; i < valid.size(); i++) {
      FimPolicy policy = valid.get(i);
      try {
        if (Boolean.TRUE.equals(policy.getSpec().getPaused())
            || !NodeSelection.selects(policy.getSpec(), nodeLabels)) {
          continue;
        }
        NodeOs.ofNode(nodeLabels).orElseThrow(); // selects() said it is known
        selected.add(i);
      } catch (RuntimeException e) {
        failed.merge(
            PolicyCompiler.nameOf(policy),
            List.of(PolicyCompiler.cannotCompile(e)),
            PolicyCompiler::concatSorted);
      }
    }
    NodeOs os = selected.isEmpty() ? null : NodeOs.ofNode(nodeLabels).orElseThrow();
    Compiled c =
        compiled.computeIfAbsent(new Selection(os, List.copyOf(selected), failed), this::compile);
    return new CompileResult(
        new AgentConfig(
            AgentConfig.FORMAT_VERSION,
            c.body.forNode(nodeName),
            nodeName,
            c.shared.applied(),
            c.shared.rules()),
        c.rejected);
  }

  /** Distinct selections compiled so far; for tests. */
  int selections() {
    return compiled.size();
  }

  private Compiled compile(Selection s) {
    List<FimPolicy> policies = new ArrayList<>();
    s.policies.forEach(i -> policies.add(valid.get(i)));
    PolicyCompiler.Shared shared = PolicyCompiler.compileSelected(policies, s.os);
    Map<String, List<ValidationProblem>> rejected = new TreeMap<>(invalid);
    s.failed.forEach((name, p) -> rejected.merge(name, p, PolicyCompiler::concatSorted));
    shared.rejected().forEach((name, p) -> rejected.merge(name, p, PolicyCompiler::concatSorted));
    return new Compiled(
        shared,
        ConfigVersion.body(AgentConfig.FORMAT_VERSION, shared.applied(), shared.rules()),
        rejected);
  }

  /** What decides a node's config besides its name: its OS and the policies selecting it. */
  private record Selection(
      NodeOs os, List<Integer> policies, Map<String, List<ValidationProblem>> failed) {}

  private record Compiled(
      PolicyCompiler.Shared shared,
      ConfigVersion.Body body,
      Map<String, List<ValidationProblem>> rejected) {}
}
