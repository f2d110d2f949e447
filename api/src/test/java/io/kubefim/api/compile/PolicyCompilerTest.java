package io.kubefim.api.compile;

import static io.kubefim.api.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentConfig.AppliedPolicy;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.json.Json;
import io.kubefim.api.policy.Attribute;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.HashAlgorithm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyCompilerTest {
  private static final Map<String, String> LINUX = Map.of("kubernetes.io/os", "linux");
  private static final Set<Attribute> ALL = EnumSet.allOf(Attribute.class);
  private static final Set<HashAlgorithm> SHA256 = EnumSet.of(HashAlgorithm.SHA256);

  @Test
  void resolvesEveryDefault() {
    AgentConfig config =
        PolicyCompiler.compile(
            List.of(policy("p", "rules: [{paths: [/etc/crontab]}]")), "n1", LINUX);

    assertThat(config.formatVersion()).isEqualTo(1);
    assertThat(config.node()).isEqualTo("n1");
    assertThat(config.policies()).containsExactly(new AppliedPolicy("p", 0));
    assertThat(config.rules())
        .containsExactly(
            new AgentRule(
                "/etc/crontab",
                true,
                List.of(),
                List.of(),
                ALL,
                SHA256,
                1L << 30,
                true,
                6 * 3600,
                500,
                List.of("p"),
                Map.of()));
  }

  @Test
  void mergesTheSameSelectionFromSeveralPolicies() {
    FimPolicy a =
        policy(
            "a",
            7,
            """
            realtime: false
            scanInterval: 1h
            debounce: 2s
            tags: {team: a, env: prod}
            rules:
              - paths: [/etc, /bin]
                attributes: [content]
                hashes: [sha1]
                maxFileSize: 1Mi
            """);
    FimPolicy b =
        policy(
            "b",
            """
            scanInterval: 2h
            debounce: 100ms
            tags: {env: dev, owner: sec}
            rules:
              - paths: [/etc/]
                attributes: [owner]
                hashes: [md5]
                maxFileSize: 2Mi
            """);

    AgentConfig config = PolicyCompiler.compile(List.of(b, a), "n1", LINUX);

    assertThat(config.policies())
        .containsExactly(new AppliedPolicy("a", 7), new AppliedPolicy("b", 0));
    assertThat(config.rules())
        .containsExactly(
            new AgentRule(
                "/bin",
                true,
                List.of(),
                List.of(),
                EnumSet.of(Attribute.CONTENT),
                EnumSet.of(HashAlgorithm.SHA1),
                1024 * 1024,
                false,
                3600,
                2000,
                List.of("a"),
                Map.of("team", "a", "env", "prod")),
            new AgentRule(
                "/etc",
                true,
                List.of(),
                List.of(),
                EnumSet.of(Attribute.CONTENT, Attribute.OWNER),
                EnumSet.of(HashAlgorithm.SHA1, HashAlgorithm.MD5),
                2 * 1024 * 1024,
                true,
                3600,
                100,
                List.of("a", "b"),
                Map.of("env", "dev,prod", "owner", "sec", "team", "a")));
  }

  @Test
  void attributionIsOnWhenAnyPolicyOfARuleAsksAndLeavesOtherConfigsAsTheyWere() throws Exception {
    FimPolicy asks = policy("asks", "attribution: true\nrules: [{paths: [/etc]}]");
    FimPolicy quiet = policy("quiet", "rules: [{paths: [/etc, /usr/bin]}]");

    AgentConfig config = PolicyCompiler.compile(List.of(asks, quiet), "n1", LINUX);

    assertThat(config.rules())
        .extracting(AgentRule::path, AgentRule::attribution)
        .containsExactly(tuple("/etc", true), tuple("/usr/bin", false));
    String json = Json.mapper().writeValueAsString(config);
    assertThat(json)
        .containsOnlyOnce("\"attribution\":true")
        .doesNotContain("\"attribution\":false");
    assertThat(Json.mapper().readValue(json, AgentConfig.class)).isEqualTo(config);
  }

  @Test
  void keepsDifferentFileSelectionsApart() {
    FimPolicy a = policy("a", "rules: [{paths: [/etc], exclude: ['*.swp']}]");
    FimPolicy b = policy("b", "rules: [{paths: [/etc], exclude: ['*~']}]");
    FimPolicy c = policy("c", "rules: [{paths: [/etc], exclude: ['*~'], recursive: false}]");
    FimPolicy d = policy("d", "rules: [{paths: [/etc], include: ['*.conf']}]");
    FimPolicy e = policy("e", "rules: [{paths: [/etc], exclude: ['*~', '*~']}]");

    AgentConfig config = PolicyCompiler.compile(List.of(a, b, c, d, e), "n1", LINUX);

    assertThat(config.rules())
        .extracting(
            AgentRule::path,
            AgentRule::recursive,
            AgentRule::include,
            AgentRule::exclude,
            AgentRule::policyNames)
        .containsExactly(
            tuple("/etc", false, List.of(), List.of("*~"), List.of("c")),
            tuple("/etc", true, List.of(), List.of("*.swp"), List.of("a")),
            tuple("/etc", true, List.of(), List.of("*~"), List.of("b", "e")),
            tuple("/etc", true, List.of("*.conf"), List.of(), List.of("d")));
  }

  @Test
  void filterOrderDoesNotSplitARule() {
    FimPolicy a = policy("a", "rules: [{paths: [/etc], exclude: ['*~', '*.swp']}]");
    FimPolicy b = policy("b", "rules: [{paths: [/etc], exclude: ['*.swp', '*~', '*.swp']}]");

    AgentConfig config = PolicyCompiler.compile(List.of(a, b), "n1", LINUX);

    assertThat(config.rules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.exclude()).containsExactly("*.swp", "*~");
              assertThat(r.policyNames()).containsExactly("a", "b");
            });
  }

  @Test
  void skipsPausedPoliciesAndReportsInvalidOnes() {
    FimPolicy ok = policy("ok", "rules: [{paths: [/etc]}]");
    FimPolicy paused = policy("paused", "paused: true\nrules: [{paths: [/boot]}]");
    FimPolicy bad = policy("bad", "scanInterval: 1m\nrules: [{paths: [etc]}]");

    CompileResult result =
        PolicyCompiler.compileWithProblems(List.of(bad, paused, ok), "n1", LINUX);

    assertThat(result.config().policies()).containsExactly(new AppliedPolicy("ok", 0));
    assertThat(result.config().rules()).extracting(AgentRule::path).containsExactly("/etc");
    assertThat(result.rejected()).containsOnlyKeys("bad");
    assertThat(result.rejected().get("bad"))
        .map(Object::toString)
        .containsExactly(
            "spec.rules[0].paths[0]: must be an absolute path",
            "spec.scanInterval: must be at least 5m");
  }

  @Test
  void aPolicyWithAGlobThatCannotCompileIsLeftOutAndTheOthersApply() {
    // issue 11: "/etc/[z-a]" used to throw out of the compiler and stop every node's config
    FimPolicy good = policy("good", "rules: [{paths: [/etc/ssh]}]");
    FimPolicy bad = policy("bad", "rules: [{paths: [/boot, '/etc/[z-a]']}]");

    CompileResult result = PolicyCompiler.compileWithProblems(List.of(bad, good), "n1", LINUX);

    assertThat(result.config().policies()).containsExactly(new AppliedPolicy("good", 0));
    assertThat(result.config().rules()).extracting(AgentRule::path).containsExactly("/etc/ssh");
    assertThat(result.rejected().get("bad"))
        .map(Object::toString)
        .singleElement()
        .asString()
        .startsWith("spec.rules[0].paths[1]: reversed range 'z-a'");
  }

  @Test
  void aPolicyWhoseCompilingThrowsIsLeftOutWholeAndTheOthersApply() {
    FimPolicy good = policy("good", "rules: [{paths: [/etc/ssh]}]");
    // valid to the validator, but its list breaks the compiler: a stand-in for any bug below
    FimPolicy broken = policy("broken", "rules: [{paths: [/boot]}, {paths: [/opt]}]");
    broken.getSpec().getRules().get(1).setInclude(new ThrowingList<>());

    CompileResult result = PolicyCompiler.compileWithProblems(List.of(broken, good), "n1", LINUX);

    assertThat(result.config().policies()).containsExactly(new AppliedPolicy("good", 0));
    assertThat(result.config().rules()).extracting(AgentRule::path).containsExactly("/etc/ssh");
    assertThat(result.rejected().get("broken"))
        .map(Object::toString)
        .singleElement()
        .asString()
        .startsWith("spec: cannot be compiled: java.lang.IllegalStateException: boom");
  }

  /** A list whose iteration throws: validation (size, get) passes, sorting it does not. */
  private static final class ThrowingList<T> extends java.util.AbstractList<T> {
    @Override
    public T get(int index) {
      throw new IndexOutOfBoundsException(index);
    }

    @Override
    public int size() {
      return 0;
    }

    @Override
    public java.util.Iterator<T> iterator() {
      throw new IllegalStateException("boom");
    }
  }

  @Test
  void appliesOnlyThePoliciesThatSelectTheNode() {
    FimPolicy poolA =
        policy("pool-a", "nodeSelector: {matchLabels: {pool: a}}\nrules: [{paths: [/etc]}]");
    FimPolicy zoneB =
        policy(
            "zone-b",
            "nodeSelector: {matchExpressions: [{key: zone, operator: In, values: [b]}]}\n"
                + "rules: [{paths: [/usr/bin]}]");
    FimPolicy everywhere = policy("all", "rules: [{paths: [/boot]}]");
    List<FimPolicy> all = List.of(poolA, zoneB, everywhere);

    AgentConfig n1 = PolicyCompiler.compile(all, "n1", Map.of("pool", "a", "zone", "a"));
    AgentConfig n2 = PolicyCompiler.compile(all, "n2", Map.of("pool", "b", "zone", "b"));
    AgentConfig win =
        PolicyCompiler.compile(all, "w1", Map.of("pool", "a", "kubernetes.io/os", "windows"));

    assertThat(n1.policies()).extracting(AppliedPolicy::name).containsExactly("all", "pool-a");
    assertThat(n1.rules()).extracting(AgentRule::path).containsExactly("/boot", "/etc");
    assertThat(n2.policies()).extracting(AppliedPolicy::name).containsExactly("all", "zone-b");
    assertThat(n2.rules()).extracting(AgentRule::path).containsExactly("/boot", "/usr/bin");
    assertThat(win.policies()).isEmpty();
    assertThat(win.rules()).isEmpty();
  }

  @Test
  void eachNodeGetsTheRulesOfItsOwnOsAndWindowsRulesKeepTheirForm() throws Exception {
    FimPolicy both =
        policy(
            "both",
            "nodeSelector: {matchExpressions: [{key: kubernetes.io/os, operator: In, values:"
                + " [linux, windows]}]}\n"
                + "rules: [{paths: [/etc]}, {paths: ['c:/Windows/win.ini', 'C:\\app\\']},"
                + " {registry: ['hklm\\SOFTWARE\\Microsoft\\Cryptography\\OID*',"
                + " 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\\OID*'],"
                + " recursive: false, exclude: ['MRU*']}]");

    AgentConfig linux = PolicyCompiler.compile(List.of(both), "l1", LINUX);
    AgentConfig windows =
        PolicyCompiler.compile(List.of(both), "w1", Map.of("kubernetes.io/os", "windows"));

    assertThat(linux.rules()).extracting(AgentRule::path).containsExactly("/etc");
    assertThat(windows.rules())
        .extracting(AgentRule::path, AgentRule::registry, AgentRule::recursive)
        .containsExactly(
            tuple("C:\\Windows\\win.ini", false, true),
            tuple("C:\\app", false, true),
            tuple("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\\OID*", true, false));
    AgentRule registry = windows.rules().get(2);
    assertThat(registry.exclude()).containsExactly("MRU*");
    assertThat(registry.policyNames()).containsExactly("both");
    String json = Json.mapper().writeValueAsString(windows);
    assertThat(json).containsOnlyOnce("\"registry\":true").doesNotContain("\"registry\":false");
    assertThat(Json.mapper().readValue(json, AgentConfig.class)).isEqualTo(windows);
    assertThat(Json.mapper().writeValueAsString(linux)).doesNotContain("registry");
  }

  @Test
  void versionIsAShortContentHashIndependentOfOrder() {
    List<FimPolicy> policies =
        new ArrayList<>(
            List.of(
                policy("a", 2, "tags: {x: '1'}\nrules: [{paths: [/etc, /bin], hashes: [md5]}]"),
                policy("b", 3, "tags: {x: '2'}\nrules: [{paths: [/bin], hashes: [sha1]}]"),
                policy("c", "rules: [{paths: [/usr/bin], exclude: ['*~']}]")));
    AgentConfig first = PolicyCompiler.compile(policies, "n1", LINUX);
    Collections.reverse(policies);
    AgentConfig reversed = PolicyCompiler.compile(policies, "n1", LINUX);

    assertThat(first.version()).matches("[0-9a-f]{16}");
    assertThat(reversed).isEqualTo(first);
    assertThat(ConfigVersion.of(first)).isEqualTo(first.version());
  }

  @Test
  void versionChangesWithContentNodeAndGeneration() {
    String v = version(List.of(policy("a", "rules: [{paths: [/etc]}]")), "n1");

    assertThat(version(List.of(policy("a", "rules: [{paths: [/etc]}]")), "n1")).isEqualTo(v);
    assertThat(version(List.of(policy("a", "rules: [{paths: [/etc]}]")), "n2")).isNotEqualTo(v);
    assertThat(version(List.of(policy("a", 2, "rules: [{paths: [/etc]}]")), "n1")).isNotEqualTo(v);
    assertThat(version(List.of(policy("a", "rules: [{paths: [/etc], recursive: false}]")), "n1"))
        .isNotEqualTo(v);
    assertThat(version(List.of(policy("a", "debounce: 1s\nrules: [{paths: [/etc]}]")), "n1"))
        .isNotEqualTo(v);
  }

  @Test
  void compiledConfigSurvivesTheWire() throws Exception {
    AgentConfig config =
        PolicyCompiler.compile(
            List.of(policy("a", "tags: {k: v}\nrules: [{paths: [/etc], exclude: ['*~']}]")),
            "n1",
            LINUX);

    String json = Json.mapper().writeValueAsString(config);
    AgentConfig back = Json.mapper().readValue(json, AgentConfig.class);

    assertThat(back).isEqualTo(config);
    assertThat(ConfigVersion.of(back)).isEqualTo(config.version());
  }

  @Test
  void noPoliciesGiveAnEmptyVersionedConfig() {
    AgentConfig config = PolicyCompiler.compile(List.of(), "n1", LINUX);

    assertThat(config.rules()).isEmpty();
    assertThat(config.policies()).isEmpty();
    assertThat(config.version()).matches("[0-9a-f]{16}");
  }

  private static String version(List<FimPolicy> policies, String node) {
    return PolicyCompiler.compile(policies, node, LINUX).version();
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }
}
