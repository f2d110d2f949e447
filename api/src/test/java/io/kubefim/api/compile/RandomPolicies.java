package io.kubefim.api.compile;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kubefim.api.policy.Attribute;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.FimPolicySpec;
import io.kubefim.api.policy.FimRule;
import io.kubefim.api.policy.HashAlgorithm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded generator of policy sets for property tests. A small alphabet of segments makes paths
 * overlap, nest and share prefixes ({@code /a} vs {@code /ab} vs {@code /a-b}) often; a few
 * policies are paused or invalid.
 */
final class RandomPolicies {
  private static final String[] SEGMENTS = {
    "etc", "bin", "usr", "local", "a", "ab", "a-b", "*.conf", "**", "x?", "[ab]c", "cron.d"
  };
  private static final String[] KEYS = {"pool", "zone", "kubernetes.io/os", "gpu"};
  private static final String[] VALUES = {"a", "b", "linux", "windows"};
  private static final String[] OPERATORS = {"In", "NotIn", "Exists", "DoesNotExist"};

  private final Random random;

  RandomPolicies(long seed) {
    this.random = new Random(seed);
  }

  List<FimPolicy> policies() {
    int n = 1 + random.nextInt(6);
    List<FimPolicy> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(policy("p" + i));
    }
    return out;
  }

  Map<String, String> nodeLabels() {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String key : KEYS) {
      if (random.nextBoolean()) {
        labels.put(key, pick(VALUES));
      }
    }
    return labels;
  }

  private FimPolicy policy(String name) {
    FimPolicySpec spec = new FimPolicySpec();
    List<FimRule> rules = new ArrayList<>();
    for (int r = 1 + random.nextInt(3); r > 0; r--) {
      rules.add(rule());
    }
    spec.setRules(rules);
    spec.setNodeSelector(random.nextInt(3) == 0 ? null : selector());
    spec.setTolerations(random.nextBoolean() ? List.of() : List.of(toleration()));
    spec.setPaused(random.nextInt(5) == 0);
    spec.setRealtime(random.nextInt(4) == 0 ? Boolean.FALSE : null);
    spec.setScanInterval(random.nextBoolean() ? null : pick(new String[] {"5m", "1h", "90m"}));
    spec.setDebounce(random.nextBoolean() ? null : pick(new String[] {"0s", "100ms", "2s"}));
    if (random.nextBoolean()) {
      spec.setTags(Map.of(pick(new String[] {"team", "env"}), pick(VALUES)));
    }
    if (random.nextInt(8) == 0) {
      spec.getRules().get(0).setPaths(List.of("relative/path")); // invalid: contributes nothing
    }
    FimPolicy p = FimPolicy.of(name, spec);
    p.getMetadata().setGeneration((long) random.nextInt(3));
    return p;
  }

  private FimRule rule() {
    FimRule rule = new FimRule();
    List<String> paths = new ArrayList<>();
    for (int k = 1 + random.nextInt(4); k > 0; k--) {
      paths.add(path());
    }
    rule.setPaths(paths);
    rule.setRecursive(random.nextInt(4) == 0 ? Boolean.FALSE : null);
    rule.setExclude(random.nextBoolean() ? List.of() : List.of(pick(new String[] {"*.swp", "*~"})));
    if (random.nextBoolean()) {
      rule.setAttributes(List.of(pick(Attribute.values()), pick(Attribute.values())));
    }
    if (random.nextBoolean()) {
      rule.setHashes(List.of(pick(HashAlgorithm.values())));
    }
    rule.setMaxFileSize(random.nextBoolean() ? null : pick(new String[] {"1Mi", "64Mi", "1G"}));
    return rule;
  }

  private String path() {
    StringBuilder b = new StringBuilder();
    for (int d = 1 + random.nextInt(4); d > 0; d--) {
      b.append('/').append(pick(SEGMENTS));
    }
    if (random.nextInt(10) == 0) {
      b.append('/'); // a trailing slash is tolerated and normalized
    }
    return b.toString();
  }

  private LabelSelector selector() {
    LabelSelector s = new LabelSelector();
    if (random.nextBoolean()) {
      s.setMatchLabels(Map.of(pick(KEYS), pick(VALUES)));
    }
    if (random.nextBoolean()) {
      String op = pick(OPERATORS);
      List<String> values =
          op.startsWith("In") || op.equals("NotIn")
              ? List.of(pick(VALUES), pick(VALUES))
              : List.of();
      s.setMatchExpressions(List.of(new LabelSelectorRequirement(pick(KEYS), op, values)));
    }
    return s;
  }

  private Toleration toleration() {
    return random.nextBoolean()
        ? new Toleration(null, null, "Exists", null, null)
        : new Toleration(
            "NoSchedule", pick(KEYS), random.nextBoolean() ? null : "Equal", null, "x");
  }

  <T> List<T> shuffled(List<T> list) {
    List<T> copy = new ArrayList<>(list);
    java.util.Collections.shuffle(copy, random);
    return copy;
  }

  private <T> T pick(T[] options) {
    return options[random.nextInt(options.length)];
  }
}
