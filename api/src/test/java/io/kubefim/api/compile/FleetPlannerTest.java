package io.kubefim.api.compile;

import static io.kubefim.api.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kubefim.api.policy.FimPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FleetPlannerTest {
  private static final String RULES = "rules: [{paths: [/etc]}]";
  private static final String WINDOWS_RULES =
      "rules: [{paths: ['C:\\Windows\\win.ini']}, {registry: ['HKLM\\SOFTWARE\\X']}]";

  static Stream<Arguments> mounts() {
    return Stream.of(
        arguments(List.of("/etc/crontab"), List.of("/etc")),
        arguments(List.of("/boot"), List.of("/boot")),
        arguments(List.of("/etc/*.conf", "/etc/crontab", "/etc/cron.daily"), List.of("/etc")),
        arguments(List.of("/usr/local/bin", "/usr/bin"), List.of("/usr")),
        arguments(List.of("/usr/local/bin", "/usr/local/sbin"), List.of("/usr/local")),
        arguments(List.of("/bin/passwd", "/bin"), List.of("/bin")),
        arguments(List.of("/bin/passwd", "/bin/login"), List.of("/bin")),
        arguments(List.of("/etc/ssh", "/etcd/member"), List.of("/etc", "/etcd")),
        arguments(List.of("/a", "/a-b/c", "/a/b/c"), List.of("/a", "/a-b")),
        arguments(List.of("/opt/*/bin"), List.of("/opt")),
        arguments(List.of("/var/lib/kubelet/**/config.yaml"), List.of("/var/lib/kubelet")),
        arguments(List.of("/etc/ssh/sshd_config*"), List.of("/etc/ssh")),
        arguments(List.of("/*"), List.of("/")),
        arguments(List.of("/**/*.conf", "/etc/crontab"), List.of("/")),
        arguments(List.of("/var/log//syslog/"), List.of("/var/log")),
        arguments(List.of(), List.of()));
  }

  @ParameterizedTest(name = "{0} mount {1}")
  @MethodSource("mounts")
  void mountsTheMinimalDirectoriesCoveringEveryPath(List<String> paths, List<String> expected) {
    assertThat(FleetPlanner.hostMounts(paths)).containsExactlyElementsOf(expected);
  }

  @Test
  void affinityIsTheOrOfTheSelectorsRestrictedToLinux() {
    FimPolicy poolA = policy("a", "nodeSelector: {matchLabels: {pool: a}}\n" + RULES);
    FimPolicy zones =
        policy(
            "b",
            "nodeSelector: {matchExpressions: [{key: zone, operator: In, values: [z2, z1]},"
                + " {key: gpu, operator: DoesNotExist}]}\n"
                + RULES);
    FimPolicy samePoolA =
        policy("c", "nodeSelector: {matchLabels: {pool: a, kubernetes.io/os: linux}}\n" + RULES);
    FimPolicy windows =
        policy("d", "nodeSelector: {matchLabels: {kubernetes.io/os: windows}}\n" + WINDOWS_RULES);

    FleetPlan plan = FleetPlanner.plan(List.of(poolA, zones, samePoolA, windows));

    assertThat(plan.policyNames()).containsExactly("a", "b", "c");
    assertThat(terms(plan))
        .containsExactly(
            List.of("gpu DoesNotExist []", "kubernetes.io/os In [linux]", "zone In [z1, z2]"),
            List.of("kubernetes.io/os In [linux]", "pool In [a]"));
  }

  @Test
  void windowsPoliciesPlanTheWindowsDaemonSetWhichMountsNothing() {
    FimPolicy linux = policy("a", "nodeSelector: {matchLabels: {pool: a}}\n" + RULES);
    FimPolicy windows =
        policy(
            "w",
            "nodeSelector: {matchLabels: {kubernetes.io/os: windows, pool: win}}\n"
                + WINDOWS_RULES);
    FimPolicy both =
        policy(
            "both",
            "nodeSelector: {matchExpressions: [{key: kubernetes.io/os, operator: In, values:"
                + " [windows, linux]}]}\n"
                + "tolerations: [{key: os, value: windows, effect: NoSchedule}]\n"
                + "rules: [{paths: [/opt/app]}, {paths: ['D:\\app\\*.config']},"
                + " {registry: ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run']}]");
    List<FimPolicy> all = List.of(linux, windows, both);

    FleetPlan win = FleetPlanner.plan(all, NodeOs.WINDOWS);
    FleetPlan lin = FleetPlanner.plan(all, NodeOs.LINUX);

    assertThat(win.policyNames()).containsExactly("both", "w");
    assertThat(terms(win))
        .as("pool=win is covered by the policy for every Windows node")
        .containsExactly(List.of("kubernetes.io/os In [windows]"));
    assertThat(win.hostMounts()).as("HostProcess pods see the host: no mounts").isEmpty();
    assertThat(win.tolerations()).extracting(Toleration::getKey).containsExactly("os");
    assertThat(lin.policyNames()).containsExactly("a", "both");
    assertThat(lin.hostMounts()).as("Windows paths never mount").containsExactly("/etc", "/opt");
    assertThat(terms(lin)).containsExactly(List.of("kubernetes.io/os In [linux]"));
  }

  @Test
  void noWindowsPolicyNoWindowsDaemonSet() {
    FleetPlan win = FleetPlanner.plan(List.of(policy("a", RULES)), NodeOs.WINDOWS);

    assertThat(win.isEmpty()).isTrue();
    assertThat(win.nodeAffinity()).isNull();
  }

  @Test
  void aPolicyWithoutSelectorSelectsEveryLinuxNodeAndCoversNarrowerTerms() {
    FimPolicy poolA = policy("a", "nodeSelector: {matchLabels: {pool: a}}\n" + RULES);
    FimPolicy all = policy("all", RULES);
    FimPolicy empty = policy("empty", "nodeSelector: {}\n" + RULES);

    assertThat(terms(FleetPlanner.plan(List.of(poolA, all))))
        .containsExactly(List.of("kubernetes.io/os In [linux]"));
    assertThat(terms(FleetPlanner.plan(List.of(empty))))
        .containsExactly(List.of("kubernetes.io/os In [linux]"));
  }

  @Test
  void tolerationsAreAnOrderedUnionOfEqualMeanings() {
    FimPolicy a =
        policy(
            "a",
            "tolerations: [{key: k, operator: Equal, value: v, effect: NoSchedule}]\n" + RULES);
    FimPolicy b =
        policy(
            "b",
            "tolerations: [{key: k, value: v, effect: NoSchedule}, {operator: Exists},"
                + " {key: n, operator: Exists, effect: NoExecute, tolerationSeconds: 60}]\n"
                + RULES);

    FleetPlan plan = FleetPlanner.plan(List.of(b, a));

    assertThat(plan.tolerations())
        .containsExactly(
            new Toleration(null, null, "Exists", null, null),
            new Toleration("NoSchedule", "k", "Equal", null, "v"),
            new Toleration("NoExecute", "n", "Exists", 60L, null));
  }

  @Test
  void pausedPoliciesShapeTheFleetAndInvalidOnesDoNot() {
    FimPolicy paused =
        policy(
            "paused",
            "paused: true\nnodeSelector: {matchLabels: {pool: p}}\n"
                + "tolerations: [{operator: Exists}]\nrules: [{paths: [/boot]}]");
    FimPolicy invalid =
        policy(
            "invalid",
            "scanInterval: 1s\nnodeSelector: {matchLabels: {pool: x}}\n"
                + "tolerations: [{key: t, operator: Exists}]\nrules: [{paths: [/opt/x]}]");
    FimPolicy ok = policy("ok", "rules: [{paths: [/etc/crontab]}]");

    FleetPlan plan = FleetPlanner.plan(List.of(paused, invalid, ok));

    assertThat(plan.policyNames()).containsExactly("ok", "paused");
    assertThat(plan.hostMounts()).containsExactly("/boot", "/etc");
    assertThat(plan.tolerations())
        .containsExactly(new Toleration(null, null, "Exists", null, null));
    assertThat(terms(plan)).containsExactly(List.of("kubernetes.io/os In [linux]"));
  }

  @Test
  void noValidPolicyMeansNoDaemonSet() {
    FleetPlan plan = FleetPlanner.plan(List.of(policy("bad", "rules: [{paths: [relative]}]")));

    assertThat(plan.isEmpty()).isTrue();
    assertThat(plan.nodeAffinity()).isNull();
    assertThat(plan.tolerations()).isEmpty();
    assertThat(plan.hostMounts()).isEmpty();
  }

  @Test
  void planDoesNotDependOnPolicyOrder() {
    List<FimPolicy> policies =
        new ArrayList<>(
            List.of(
                policy("a", "nodeSelector: {matchLabels: {pool: a}}\nrules: [{paths: [/etc]}]"),
                policy(
                    "b",
                    "nodeSelector: {matchExpressions: [{key: z, operator: Exists}]}\n"
                        + "tolerations: [{key: k, operator: Exists}]\nrules: [{paths: [/usr/bin]}]"),
                policy("c", "tolerations: [{operator: Exists}]\nrules: [{paths: [/boot]}]")));
    FleetPlan first = FleetPlanner.plan(policies);
    Collections.reverse(policies);

    assertThat(FleetPlanner.plan(policies)).isEqualTo(first);
  }

  /** The affinity's terms as readable strings, e.g. ["kubernetes.io/os In [linux]"]. */
  static List<List<String>> terms(FleetPlan plan) {
    List<List<String>> out = new ArrayList<>();
    for (NodeSelectorTerm term :
        plan.nodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms()) {
      List<String> reqs = new ArrayList<>();
      for (NodeSelectorRequirement r : term.getMatchExpressions()) {
        reqs.add(r.getKey() + " " + r.getOperator() + " " + r.getValues());
      }
      out.add(reqs);
    }
    return out;
  }
}
