package io.kubefim.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kubefim.api.compile.FleetPlan;
import io.kubefim.api.compile.FleetPlanner;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.operator.Policies;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AgentDaemonSetRendererTest {
  private static final AgentSettings SETTINGS = AgentSettings.defaults("kubefim");

  private static final FimPolicy ETC =
      Policies.policy(
          "etc",
          """
          nodeSelector: {matchLabels: {role: web}}
          tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]
          rules: [{paths: [/etc/*.conf, /etc/crontab]}]
          """);
  private static final FimPolicy BIN =
      Policies.policy(
          "bin",
          """
          nodeSelector: {matchLabels: {role: db}}
          rules: [{paths: [/usr/bin/passwd, /opt/app/conf]}]
          """);

  private static DaemonSet render(FimPolicy... policies) {
    List<FimPolicy> list = List.of(policies);
    return AgentDaemonSetRenderer.desired(FleetPlanner.plan(list), SETTINGS, list);
  }

  private static PodSpec pod(DaemonSet ds) {
    return ds.getSpec().getTemplate().getSpec();
  }

  /** The terms of the pod's required node affinity. */
  static List<NodeSelectorTerm> terms(DaemonSet ds) {
    return pod(ds)
        .getAffinity()
        .getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms();
  }

  private static Container agent(DaemonSet ds) {
    return pod(ds).getContainers().get(0);
  }

  static Stream<Arguments> hostMounts() {
    return Stream.of(
        Arguments.of(List.of("/etc"), List.of("/host/etc")),
        Arguments.of(List.of("/etc", "/opt/app"), List.of("/host/etc", "/host/opt/app")),
        Arguments.of(List.of("/"), List.of("/host")),
        Arguments.of(List.of("/boot", "/usr/local"), List.of("/host/boot", "/host/usr/local")));
  }

  @ParameterizedTest
  @MethodSource
  void hostMounts(List<String> planMounts, List<String> containerPaths) {
    FleetPlan plan = new FleetPlan(List.of("p"), null, List.of(), planMounts);
    DaemonSet ds = AgentDaemonSetRenderer.desired(plan, SETTINGS, List.of());
    List<VolumeMount> hostMounts =
        agent(ds).getVolumeMounts().stream().filter(m -> m.getName().startsWith("host-")).toList();
    assertThat(hostMounts).extracting(VolumeMount::getMountPath).isEqualTo(containerPaths);
    assertThat(hostMounts).allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
    assertThat(hostMounts)
        .allSatisfy(m -> assertThat(m.getMountPropagation()).isEqualTo("HostToContainer"));
    List<Volume> hostVolumes =
        pod(ds).getVolumes().stream().filter(v -> v.getName().startsWith("host-")).toList();
    assertThat(hostVolumes).extracting(v -> v.getHostPath().getPath()).isEqualTo(planMounts);
    // type unset: a path missing on one node must not keep the pod from starting
    assertThat(hostVolumes).allSatisfy(v -> assertThat(v.getHostPath().getType()).isNull());
  }

  @Test
  void twoPoliciesGiveOneDaemonSetWithBothTermsTolerationsAndMounts() {
    DaemonSet ds = render(ETC, BIN);
    assertThat(ds.getMetadata().getName()).isEqualTo("kubefim-agent");
    assertThat(ds.getMetadata().getNamespace()).isEqualTo("kubefim");
    assertThat(terms(ds)).hasSize(2);
    assertThat(pod(ds).getTolerations()).extracting("key").containsExactly("dedicated");
    assertThat(pod(ds).getVolumes())
        .filteredOn(v -> v.getName().startsWith("host-"))
        .extracting(v -> v.getHostPath().getPath())
        .containsExactly("/etc", "/opt/app", "/usr/bin");
    assertThat(ds.getMetadata().getOwnerReferences())
        .extracting("name", "uid", "kind", "apiVersion")
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "bin", "uid-bin", "FimPolicy", "kubefim.io/v1alpha1"),
            org.assertj.core.groups.Tuple.tuple(
                "etc", "uid-etc", "FimPolicy", "kubefim.io/v1alpha1"));
    assertThat(ds.getMetadata().getOwnerReferences())
        .allSatisfy(r -> assertThat(r.getController()).isNull());
  }

  @Test
  void theLinuxDaemonSetRunsOnLinuxNodesOnly() {
    FimPolicy anyNode = Policies.policy("any", "rules: [{paths: [/etc/passwd]}]");
    DaemonSet ds = render(ETC, BIN, anyNode);
    assertThat(terms(ds))
        .isNotEmpty()
        .allSatisfy(
            term ->
                assertThat(term.getMatchExpressions())
                    .anySatisfy(
                        r -> {
                          assertThat(r.getKey()).isEqualTo("kubernetes.io/os");
                          assertThat(r.getOperator()).isEqualTo("In");
                          assertThat(r.getValues()).containsExactly("linux");
                        }));
    assertThat(pod(ds).getHostNetwork()).isNull();
    assertThat(pod(ds).getSecurityContext().getWindowsOptions()).isNull();
  }

  @Test
  void agentContainerArgsEnvAndProbes() {
    Container c = agent(render(ETC));
    assertThat(c.getArgs())
        .containsExactly(
            "run",
            "--state",
            "/var/lib/kubefim",
            "--config-url",
            "http://kubefim-config-service:8081",
            "--ingest-url",
            "http://kubefim-ingest-service:8080",
            "--node",
            "$(NODE_NAME)",
            "--host-root",
            "/host",
            "--http-port",
            "8082");
    assertThat(c.getEnv().get(0).getName()).isEqualTo("NODE_NAME");
    assertThat(c.getEnv().get(0).getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("spec.nodeName");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(8082);
    assertThat(c.getResources().getRequests()).containsOnlyKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsOnlyKeys("memory");
  }

  @Test
  void stateTokenAndTmpVolumes() {
    DaemonSet ds = render(ETC);
    Map<String, Volume> volumes =
        pod(ds).getVolumes().stream()
            .collect(java.util.stream.Collectors.toMap(Volume::getName, v -> v));
    assertThat(volumes.get("state").getHostPath().getPath()).isEqualTo("/var/lib/kubefim");
    assertThat(volumes.get("state").getHostPath().getType()).isEqualTo("DirectoryOrCreate");
    var token = volumes.get("kubefim-token").getProjected().getSources().get(0);
    assertThat(token.getServiceAccountToken().getAudience()).isEqualTo("kubefim");
    assertThat(token.getServiceAccountToken().getExpirationSeconds()).isEqualTo(3600L);
    Map<String, VolumeMount> mounts =
        agent(ds).getVolumeMounts().stream()
            .collect(java.util.stream.Collectors.toMap(VolumeMount::getName, m -> m));
    assertThat(mounts.get("state").getReadOnly()).isNull();
    assertThat(mounts.get("kubefim-token").getMountPath()).isEqualTo("/var/run/secrets/kubefim");
    assertThat(mounts.get("kubefim-token").getReadOnly()).isTrue();
    assertThat(mounts.get("tmp").getMountPath()).isEqualTo("/tmp");
    assertThat(pod(ds).getAutomountServiceAccountToken()).isFalse();
    assertThat(pod(ds).getServiceAccountName()).isEqualTo("kubefim-agent");
  }

  @Test
  void tightSecurityContext() {
    var sc = agent(render(ETC)).getSecurityContext();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getPrivileged()).isFalse();
    assertThat(sc.getRunAsUser()).isZero();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).containsExactly("DAC_READ_SEARCH");
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @Test
  void aCaBundleConfigMapIsMountedReadOnlyAndPassedAsCaFile() {
    AgentSettings plain = AgentSettings.defaults("kubefim");
    AgentSettings withCa = plain.withCaBundle("kubefim-ca", "bundle.pem");

    DaemonSet none =
        AgentDaemonSetRenderer.desired(FleetPlanner.plan(List.of(ETC)), plain, List.of());
    DaemonSet ds =
        AgentDaemonSetRenderer.desired(FleetPlanner.plan(List.of(ETC)), withCa, List.of());

    assertThat(pod(none).getContainers().get(0).getArgs()).doesNotContain("--ca-file");
    assertThat(pod(none).getVolumes()).noneMatch(v -> v.getName().equals("ca-bundle"));
    var agent = pod(ds).getContainers().get(0);
    assertThat(agent.getArgs()).containsSequence("--ca-file", "/etc/kubefim/ca/ca.crt");
    var volume =
        pod(ds).getVolumes().stream()
            .filter(v -> v.getName().equals("ca-bundle"))
            .findFirst()
            .orElseThrow();
    assertThat(volume.getConfigMap().getName()).isEqualTo("kubefim-ca");
    assertThat(volume.getConfigMap().getItems().get(0).getKey()).isEqualTo("bundle.pem");
    assertThat(volume.getConfigMap().getItems().get(0).getPath()).isEqualTo("ca.crt");
    assertThat(agent.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("ca-bundle");
              assertThat(m.getMountPath()).isEqualTo("/etc/kubefim/ca");
              assertThat(m.getReadOnly()).isTrue();
              assertThat(m.getSubPath()).isNull();
            });
  }

  /** Settings with every optional field set: a pull policy, a priority class, limits, a CA. */
  static AgentSettings everySetting() {
    return new AgentSettings(
        "kubefim",
        "img",
        "win-img",
        "Always",
        "http://c",
        "http://i",
        "system-node-critical",
        "10m",
        "64Mi",
        "1",
        "256Mi",
        List.of(
            new io.fabric8.kubernetes.api.model.TolerationBuilder()
                .withKey("CriticalAddonsOnly")
                .withOperator("Exists")
                .build()),
        true,
        "kubefim-ca",
        "bundle.pem");
  }

  @Test
  void everySettingLeavesTheCapabilitiesAtDacReadSearchOnly() {
    // no setting grants more than DAC_READ_SEARCH: only a policy asking for attribution does
    // (docs/security.md)
    AgentSettings fan = everySetting();
    DaemonSet ds = AgentDaemonSetRenderer.desired(FleetPlanner.plan(List.of(ETC)), fan, List.of());
    assertThat(pod(ds).getTolerations())
        .as("operator-wide tolerations join the policies' ones")
        .extracting(t -> t.getKey())
        .contains("CriticalAddonsOnly");
    assertThat(agent(ds).getSecurityContext().getCapabilities().getAdd())
        .containsExactly("DAC_READ_SEARCH");
    assertThat(agent(ds).getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(agent(ds).getSecurityContext().getPrivileged()).isFalse();
    assertThat(pod(ds).getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(agent(ds).getResources().getLimits()).containsOnlyKeys("cpu", "memory");
  }

  @Test
  void rollingUpdateTenPercent() {
    DaemonSet ds = render(ETC);
    assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getStrVal())
        .isEqualTo("10%");
    assertThat(ds.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Map.of("app.kubernetes.io/name", "kubefim-agent"));
    assertThat(ds.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/name", "kubefim-agent");
  }

  @Test
  void specHashIgnoresRulesInsideTheMountsAndOrder() {
    FimPolicy etcMore =
        Policies.policy(
            "etc",
            """
            nodeSelector: {matchLabels: {role: web}}
            tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]
            rules: [{paths: [/etc/*.conf, /etc/crontab, /etc/ssh/sshd_config], exclude: ["*.swp"]}]
            """);
    String before = AgentDaemonSetRenderer.specHashOf(render(ETC, BIN));
    assertThat(AgentDaemonSetRenderer.specHashOf(render(BIN, etcMore))).isEqualTo(before);
  }

  @Test
  void specHashChangesWithTheMountSet() {
    FimPolicy etcAndVar =
        Policies.policy(
            "etc",
            """
            nodeSelector: {matchLabels: {role: web}}
            tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]
            rules: [{paths: [/etc/*.conf, /var/spool/cron/crontabs/*]}]
            """);
    assertThat(AgentDaemonSetRenderer.specHashOf(render(etcAndVar)))
        .isNotEqualTo(AgentDaemonSetRenderer.specHashOf(render(ETC)));
  }

  @Test
  void emptyPlanHasNoDaemonSet() {
    assertThatThrownBy(
            () ->
                AgentDaemonSetRenderer.desired(
                    new FleetPlan(List.of(), null, List.of(), List.of()), SETTINGS, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void serviceAccountMountsNoApiToken() {
    var sa = AgentDaemonSetRenderer.serviceAccount(SETTINGS, List.of(ETC));
    assertThat(sa.getMetadata().getName()).isEqualTo("kubefim-agent");
    assertThat(sa.getAutomountServiceAccountToken()).isFalse();
    assertThat(sa.getMetadata().getOwnerReferences()).extracting("name").containsExactly("etc");
  }

  private static final FimPolicy WHO =
      Policies.policy(
          "who",
          """
          attribution: true
          rules: [{paths: [/etc/passwd]}]
          """);

  private static final FimPolicy WHO_PAUSED =
      Policies.policy(
          "who",
          """
          attribution: true
          paused: true
          rules: [{paths: [/etc/passwd]}]
          """);

  private static final FimPolicy ETC_NO_WHO =
      Policies.policy(
          "who",
          """
          attribution: false
          rules: [{paths: [/etc/passwd]}]
          """);

  private static void assertTodaysPod(DaemonSet ds) {
    assertThat(pod(ds).getHostPID()).isNull();
    var sc = agent(ds).getSecurityContext();
    assertThat(sc.getCapabilities().getAdd()).containsExactly("DAC_READ_SEARCH");
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getPrivileged()).isFalse();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @Test
  void noPolicyAskingForAttributionGivesTodaysPod() {
    assertTodaysPod(render(ETC, BIN));
    assertTodaysPod(render(ETC, ETC_NO_WHO));
    // attribution: false is the default: the same spec as a policy without the field
    FimPolicy plain = Policies.policy("who", "rules: [{paths: [/etc/passwd]}]");
    assertThat(AgentDaemonSetRenderer.specHashOf(render(ETC, ETC_NO_WHO)))
        .isEqualTo(AgentDaemonSetRenderer.specHashOf(render(ETC, plain)));
  }

  @Test
  void aPolicyAskingForAttributionAddsHostPidSysAdminAndSysPtrace() {
    DaemonSet ds = render(ETC, WHO);
    assertThat(pod(ds).getHostPID()).isTrue();
    var sc = agent(ds).getSecurityContext();
    assertThat(sc.getCapabilities().getAdd())
        .containsExactly("DAC_READ_SEARCH", "SYS_ADMIN", "SYS_PTRACE");
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getPrivileged()).isFalse();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod(ds).getSecurityContext().getSeccompProfile().getType())
        .isEqualTo("RuntimeDefault");
    assertThat(AgentDaemonSetRenderer.specHashOf(ds))
        .as("the privilege change rolls the DaemonSet")
        .isNotEqualTo(AgentDaemonSetRenderer.specHashOf(render(ETC, ETC_NO_WHO)));
  }

  @Test
  void theOnlyAskingPolicyPausedAddsNothing() {
    DaemonSet ds = render(ETC, WHO_PAUSED);
    assertTodaysPod(ds);
    assertThat(AgentDaemonSetRenderer.specHashOf(ds))
        .isEqualTo(AgentDaemonSetRenderer.specHashOf(render(ETC, ETC_NO_WHO)));
  }

  @Test
  void anAskingPolicyBeingDeletedAddsNothing() {
    FimPolicy deleting = Policies.policy("who", "attribution: true\nrules: [{paths: [/etc]}]");
    deleting.getMetadata().setDeletionTimestamp("2026-12-02T14:00:00Z");
    assertThat(AgentDaemonSetRenderer.attributionWanted(List.of(ETC, deleting))).isFalse();
    assertThat(AgentDaemonSetRenderer.attributionWanted(List.of(ETC, WHO))).isTrue();
  }

  @Test
  void allowAttributionFalseNeverAddsThePrivileges() {
    List<FimPolicy> list = List.of(ETC, WHO);
    DaemonSet ds =
        AgentDaemonSetRenderer.desired(
            FleetPlanner.plan(list), SETTINGS.withAllowAttribution(false), list);
    assertTodaysPod(ds);
  }
}
