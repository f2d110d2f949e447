package io.kubefim.api.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.glob.HostPaths;
import io.kubefim.api.glob.PathGlob;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.FimRule;
import io.kubefim.api.policy.PolicyValidator;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of compiling and planning, checked on seeded random policy sets (plain JUnit with a
 * fixed list of seeds, so a failure names its seed and reproduces exactly).
 */
class PlanningProperties {
  static LongStream seeds() {
    return LongStream.range(0, 300).map(i -> 0x5EED_0000L + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void mountsCoverEveryRulePathAndNeverNest(long seed) {
    List<FimPolicy> policies = new RandomPolicies(seed).policies();

    List<String> mounts = FleetPlanner.plan(policies).hostMounts();

    for (FimPolicy p : policies) {
      if (!PolicyValidator.isValid(p)) {
        continue;
      }
      for (FimRule rule : p.getSpec().getRules()) {
        for (String path : rule.getPaths()) {
          PathGlob glob = PathGlob.compile(HostPaths.normalize(path));
          assertThat(mounts)
              .as("a mount covers %s (seed %d)", path, seed)
              .anyMatch(m -> HostPaths.isUnder(glob.literalRoot(), m));
          if (glob.isLiteral()) {
            assertThat(FleetPlanner.mountFor(path))
                .as("literal %s never asks for / (seed %d)", path, seed)
                .isNotEqualTo("/");
          }
        }
      }
    }
    for (String a : mounts) {
      for (String b : mounts) {
        assertThat(a.equals(b) || !HostPaths.isUnder(a, b))
            .as("%s nested under %s (seed %d)", a, b, seed)
            .isTrue();
      }
    }
    assertThat(mounts).as("sorted, distinct").isSorted().doesNotHaveDuplicates();
    if (mounts.contains("/")) {
      assertThat(validPaths(policies))
          .as("/ is mounted only for a glob rooted at / (seed %d)", seed)
          .anyMatch(
              p ->
                  !PathGlob.compile(p).isLiteral()
                      && PathGlob.compile(p).literalRoot().equals("/"));
    }
  }

  private static List<String> validPaths(List<FimPolicy> policies) {
    return policies.stream()
        .filter(PolicyValidator::isValid)
        .flatMap(p -> p.getSpec().getRules().stream())
        .flatMap(r -> r.getPaths().stream())
        .map(HostPaths::normalize)
        .toList();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void planningAndCompilingIgnorePolicyOrder(long seed) {
    RandomPolicies random = new RandomPolicies(seed);
    List<FimPolicy> policies = random.policies();
    Map<String, String> labels = random.nodeLabels();
    List<FimPolicy> shuffled = random.shuffled(policies);

    assertThat(FleetPlanner.plan(shuffled)).isEqualTo(FleetPlanner.plan(policies));
    AgentConfig config = PolicyCompiler.compile(policies, "node", labels);
    AgentConfig again = PolicyCompiler.compile(shuffled, "node", labels);
    assertThat(again).isEqualTo(config);
    assertThat(again.version()).isEqualTo(config.version());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyCompiledRuleOnAnyNodeLiesInsideTheMounts(long seed) {
    RandomPolicies random = new RandomPolicies(seed);
    List<FimPolicy> policies = random.policies();
    List<String> mounts = FleetPlanner.plan(policies).hostMounts();

    AgentConfig config = PolicyCompiler.compile(policies, "node", random.nodeLabels());

    for (AgentRule rule : config.rules()) {
      String root = PathGlob.compile(rule.path()).literalRoot();
      assertThat(mounts)
          .as("%s (seed %d)", rule.path(), seed)
          .anyMatch(m -> HostPaths.isUnder(root, m));
      assertThat(rule.attributes()).isNotEmpty();
      assertThat(rule.hashes()).isNotEmpty();
      assertThat(rule.policyNames()).isSorted().doesNotHaveDuplicates();
    }
    assertThat(config.rules()).extracting(AgentRule::path).isSorted();
  }
}
