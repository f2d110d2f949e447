package io.kubefim.api.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.FimPolicySpec;
import io.kubefim.api.policy.FimRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One {@link PolicySet} compiling many nodes gives each node what compiling it alone gives. */
class PolicySetTest {
  static LongStream seeds() {
    return LongStream.range(0, 200).map(i -> 0x5E7_0000L + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void sharedCompilingGivesEveryNodeItsOwnConfig(long seed) {
    RandomPolicies random = new RandomPolicies(seed);
    List<FimPolicy> policies = random.policies();
    PolicySet set = new PolicySet(policies);
    for (int i = 0; i < 12; i++) {
      Map<String, String> labels = new LinkedHashMap<>(random.nodeLabels());
      labels.put("kubernetes.io/hostname", "node-" + i); // unique per node, as in a cluster
      CompileResult shared = set.compile("node-" + i, labels);
      CompileResult alone = new PolicySet(policies).compile("node-" + i, labels);
      assertThat(shared).isEqualTo(alone);
      assertThat(shared.config().version()).isEqualTo(ConfigVersion.of(shared.config()));
    }
  }

  @Test
  void nodesThatTheSamePoliciesSelectShareOneCompileButNotTheirVersion() {
    FimPolicy pool = policy("pool-a", Map.of("pool", "a"), "/etc");
    FimPolicy all = policy("everywhere", null, "/usr/bin");
    PolicySet set = new PolicySet(List.of(pool, all));
    List<AgentConfig> configs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Map<String, String> labels =
          Map.of(
              "kubernetes.io/os",
              "linux",
              "kubernetes.io/hostname",
              "n" + i,
              "pool",
              i % 2 == 0 ? "a" : "b");
      configs.add(set.compile("n" + i, labels).config());
    }
    assertThat(set.selections()).isEqualTo(2); // pool a, pool b: not 50
    assertThat(configs.get(0).rules()).hasSize(2);
    assertThat(configs.get(1).rules()).hasSize(1);
    assertThat(configs.get(2).rules()).isSameAs(configs.get(0).rules());
    assertThat(configs.stream().map(AgentConfig::version).distinct()).hasSize(50);
  }

  @Test
  void theVersionCoversTheNodeAndEveryRule() {
    FimPolicy p = policy("p", null, "/etc");
    Map<String, String> linux = Map.of("kubernetes.io/os", "linux");
    AgentConfig a = PolicyCompiler.compile(List.of(p), "a", linux);
    AgentConfig b = PolicyCompiler.compile(List.of(p), "b", linux);
    AgentConfig other = PolicyCompiler.compile(List.of(policy("p", null, "/etc2")), "a", linux);
    assertThat(a.version()).hasSize(16).isNotEqualTo(b.version()).isNotEqualTo(other.version());
    assertThat(PolicyCompiler.compile(List.of(p), "a", linux).version()).isEqualTo(a.version());
  }

  private static FimPolicy policy(String name, Map<String, String> selector, String path) {
    FimPolicySpec spec = new FimPolicySpec();
    if (selector != null) {
      io.fabric8.kubernetes.api.model.LabelSelector s =
          new io.fabric8.kubernetes.api.model.LabelSelector();
      s.setMatchLabels(selector);
      spec.setNodeSelector(s);
    }
    FimRule rule = new FimRule();
    rule.setPaths(List.of(path));
    spec.setRules(List.of(rule));
    FimPolicy policy = new FimPolicy();
    policy.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
    policy.setSpec(spec);
    return policy;
  }
}
