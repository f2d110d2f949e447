package io.kubefim.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kubefim.api.compile.FleetPlan;
import io.kubefim.api.compile.FleetPlanner;
import io.kubefim.api.compile.NodeOs;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.operator.Policies;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowsAgentDaemonSetRendererTest {
  private static final AgentSettings SETTINGS = AgentSettings.defaults("kubefim");

  private static final FimPolicy WIN =
      Policies.policy(
          "win",
          """
          nodeSelector: {matchLabels: {kubernetes.io/os: windows, pool: win}}
          tolerations: [{key: os, operator: Equal, value: windows, effect: NoSchedule}]
          rules:
            - paths: ['C:\\Windows\\System32\\userinit.exe', 'C:\\Windows\\win.ini']
            - registry: ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run']
          """);

  /** One policy for both OSes: a selector admitting both and rules of both kinds. */
  private static final FimPolicy BOTH = Policies.policy("both", Policies.LINUX_AND_WINDOWS_SPEC);

  private static final FimPolicy LINUX =
      Policies.policy("etc", "rules: [{paths: [/etc/*.conf, /etc/crontab]}]");

  private static DaemonSet render(AgentSettings settings, FimPolicy... policies) {
    List<FimPolicy> list = List.of(policies);
    return WindowsAgentDaemonSetRenderer.desired(
        FleetPlanner.plan(list, NodeOs.WINDOWS), settings, list);
  }

  private static DaemonSet render(FimPolicy... policies) {
    return render(SETTINGS, policies);
  }

  private static PodSpec pod(DaemonSet ds) {
    return ds.getSpec().getTemplate().getSpec();
  }

  private static Container agent(DaemonSet ds) {
    return pod(ds).getContainers().get(0);
  }

  @Test
  void aHostProcessPodAsSystemOnTheHostNetworkOfWindowsNodes() {
    DaemonSet ds = render(WIN);
    assertThat(ds.getMetadata().getName()).isEqualTo("kubefim-agent-windows");
    assertThat(ds.getMetadata().getNamespace()).isEqualTo("kubefim");
    PodSpec pod = pod(ds);
    assertThat(pod.getSecurityContext().getWindowsOptions().getHostProcess()).isTrue();
    assertThat(pod.getSecurityContext().getWindowsOptions().getRunAsUserName())
        .isEqualTo("NT AUTHORITY\\SYSTEM");
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
    assertThat(pod.getOs().getName()).isEqualTo("windows");
    assertThat(pod.getNodeSelector()).isEqualTo(Map.of("kubernetes.io/os", "windows"));
    var terms = AgentDaemonSetRendererTest.terms(ds);
    assertThat(terms).hasSize(1);
    assertThat(terms.get(0).getMatchExpressions())
        .extracting("key", "operator", "values")
        .containsExactly(
            tuple("kubernetes.io/os", "In", List.of("windows")),
            tuple("pool", "In", List.of("win")));
    assertThat(pod.getTolerations())
        .extracting("key", "value")
        .containsExactly(tuple("os", "windows"));
    assertThat(agent(ds).getImage()).isEqualTo("ghcr.io/kubefim/kubefim-agent-windows:0.1.0");
  }

  @Test
  void theImagesJavaRunsTheAgentJarWithWindowsPathsAndNoHostRoot() {
    Container c = agent(render(WIN));
    assertThat(c.getCommand())
        .startsWith("%CONTAINER_SANDBOX_MOUNT_POINT%\\kubefim\\bin\\java.exe")
        .endsWith("-jar", "%CONTAINER_SANDBOX_MOUNT_POINT%\\kubefim\\kubefim-agent.jar")
        .contains("-Xmx128m", "-XX:+ExitOnOutOfMemoryError");
    assertThat(String.join(" ", c.getArgs()))
        .isEqualTo(
            "run --state C:\\ProgramData\\kubefim --config-url http://kubefim-config-service:8081"
                + " --ingest-url http://kubefim-ingest-service:8080 --node $(NODE_NAME)"
                + " --token-file %CONTAINER_SANDBOX_MOUNT_POINT%\\var\\run\\secrets\\kubefim\\token"
                + " --http-port 8082");
    List<FimPolicy> linuxOnes = List.of(LINUX);
    Container linux =
        AgentDaemonSetRenderer.desired(FleetPlanner.plan(linuxOnes), SETTINGS, linuxOnes)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(c.getEnv()).as("NODE_NAME from spec.nodeName").isEqualTo(linux.getEnv());
    assertThat(c.getReadinessProbe()).isEqualTo(linux.getReadinessProbe());
    assertThat(c.getLivenessProbe()).isEqualTo(linux.getLivenessProbe());
    assertThat(c.getPorts()).isEqualTo(linux.getPorts());
  }

  @Test
  void noLinuxOnlyFields() {
    DaemonSet ds = render(WIN, BOTH);
    PodSpec pod = pod(ds);
    assertThat(agent(ds).getSecurityContext())
        .as("no capabilities, readOnlyRootFilesystem, seccomp or runAsUser")
        .isNull();
    assertThat(pod.getSecurityContext().getSeccompProfile()).isNull();
    assertThat(pod.getSecurityContext().getAppArmorProfile()).isNull();
    assertThat(pod.getSecurityContext().getRunAsUser()).isNull();
    assertThat(pod.getHostPID()).isNull();
    assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
    assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactly("kubefim-token");
    assertThat(agent(ds).getVolumeMounts())
        .extracting(VolumeMount::getMountPath)
        .containsExactly("/var/run/secrets/kubefim");
    assertThat(agent(ds).getArgs()).doesNotContain("--host-root", "/host", "/var/lib/kubefim");
  }

  @Test
  void theProjectedTokenAndTheCaBundleAreReadThroughTheSandboxMountPoint() {
    DaemonSet ds = render(SETTINGS.withCaBundle("kubefim-ca", "bundle.pem"), WIN);
    var token =
        pod(ds).getVolumes().stream()
            .filter(v -> v.getName().equals("kubefim-token"))
            .findFirst()
            .orElseThrow()
            .getProjected()
            .getSources()
            .get(0)
            .getServiceAccountToken();
    assertThat(token.getAudience()).isEqualTo("kubefim");
    assertThat(token.getExpirationSeconds()).isEqualTo(3600L);
    assertThat(pod(ds).getAutomountServiceAccountToken()).isFalse();
    assertThat(pod(ds).getServiceAccountName())
        .as("one ServiceAccount for both DaemonSets")
        .isEqualTo("kubefim-agent");
    var ca =
        pod(ds).getVolumes().stream()
            .filter(v -> v.getName().equals("ca-bundle"))
            .findFirst()
            .orElseThrow();
    assertThat(ca.getConfigMap().getName()).isEqualTo("kubefim-ca");
    assertThat(ca.getConfigMap().getItems().get(0).getKey()).isEqualTo("bundle.pem");
    assertThat(agent(ds).getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("ca-bundle");
              assertThat(m.getMountPath()).isEqualTo("/etc/kubefim/ca");
              assertThat(m.getReadOnly()).isTrue();
            });
    assertThat(agent(ds).getArgs())
        .containsSequence("--ca-file", "%CONTAINER_SANDBOX_MOUNT_POINT%\\etc\\kubefim\\ca\\ca.crt");
  }

  @Test
  void resourcesPriorityClassPullPolicyAndTolerationsAsTheLinuxPod() {
    AgentSettings custom = AgentDaemonSetRendererTest.everySetting();
    DaemonSet win = render(custom, WIN);
    List<FimPolicy> linuxOnes = List.of(LINUX);
    DaemonSet linux =
        AgentDaemonSetRenderer.desired(FleetPlanner.plan(linuxOnes), custom, linuxOnes);
    assertThat(agent(win).getImage()).isEqualTo("win-img");
    assertThat(agent(win).getImagePullPolicy()).isEqualTo("Always");
    assertThat(agent(win).getResources()).isEqualTo(agent(linux).getResources());
    assertThat(pod(win).getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(pod(win).getTerminationGracePeriodSeconds()).isEqualTo(30L);
    assertThat(pod(win).getTolerations())
        .extracting(t -> t.getKey())
        .containsExactly("os", "CriticalAddonsOnly");
    assertThat(agent(win).getArgs()).containsSequence("--config-url", "http://c");
  }

  @Test
  void labelsAndSelectorsOfTheTwoDaemonSetsNeverSelectEachOthersPods() {
    DaemonSet win = render(BOTH);
    List<FimPolicy> both = List.of(BOTH);
    DaemonSet linux = AgentDaemonSetRenderer.desired(FleetPlanner.plan(both), SETTINGS, both);
    Map<String, String> winPods = win.getSpec().getTemplate().getMetadata().getLabels();
    Map<String, String> linuxPods = linux.getSpec().getTemplate().getMetadata().getLabels();
    Map<String, String> winSelector = win.getSpec().getSelector().getMatchLabels();
    Map<String, String> linuxSelector = linux.getSpec().getSelector().getMatchLabels();
    assertThat(winPods.entrySet()).containsAll(winSelector.entrySet());
    assertThat(linuxPods.entrySet()).containsAll(linuxSelector.entrySet());
    assertThat(winPods.entrySet().containsAll(linuxSelector.entrySet())).isFalse();
    assertThat(linuxPods.entrySet().containsAll(winSelector.entrySet())).isFalse();
    assertThat(winSelector).isEqualTo(Map.of("app.kubernetes.io/name", "kubefim-agent-windows"));
    assertThat(win.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getStrVal())
        .isEqualTo("10%");
  }

  @Test
  void aPolicyForBothOsesShapesBothDaemonSetsEachWithItsOwnOs() {
    List<FimPolicy> both = List.of(BOTH);
    FleetPlan linuxPlan = FleetPlanner.plan(both);
    FleetPlan windowsPlan = FleetPlanner.plan(both, NodeOs.WINDOWS);
    DaemonSet linux = AgentDaemonSetRenderer.desired(linuxPlan, SETTINGS, both);
    DaemonSet win = WindowsAgentDaemonSetRenderer.desired(windowsPlan, SETTINGS, both);
    assertThat(pod(linux).getVolumes())
        .filteredOn(v -> v.getHostPath() != null && v.getName().startsWith("host-"))
        .extracting(v -> v.getHostPath().getPath())
        .containsExactly("/etc");
    assertThat(pod(win).getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
    assertThat(win.getMetadata().getOwnerReferences()).extracting("name").containsExactly("both");
    assertThat(linux.getMetadata().getOwnerReferences()).extracting("name").containsExactly("both");
  }

  @Test
  void specHashIgnoresRulesAndOrderAndAttributionAddsNothing() {
    FimPolicy winMore =
        Policies.policy(
            "win",
            """
            nodeSelector: {matchLabels: {kubernetes.io/os: windows, pool: win}}
            tolerations: [{key: os, operator: Equal, value: windows, effect: NoSchedule}]
            attribution: true
            rules:
              - paths: ['C:\\Windows\\explorer.exe']
            """);
    String before = AgentDaemonSetRenderer.specHashOf(render(WIN, BOTH));
    assertThat(AgentDaemonSetRenderer.specHashOf(render(BOTH, winMore))).isEqualTo(before);
    assertThat(pod(render(winMore)).getHostPID()).isNull();
    FimPolicy otherPool =
        Policies.policy(
            "win",
            """
            nodeSelector: {matchLabels: {kubernetes.io/os: windows, pool: other}}
            rules: [{paths: ['C:\\Windows\\win.ini']}]
            """);
    assertThat(AgentDaemonSetRenderer.specHashOf(render(otherPool)))
        .as("a selector change rolls the DaemonSet")
        .isNotEqualTo(AgentDaemonSetRenderer.specHashOf(render(WIN)));
  }

  @Test
  void aLinuxPolicyGivesNoWindowsPlanAndAnEmptyPlanNoDaemonSet() {
    assertThat(FleetPlanner.plan(List.of(LINUX), NodeOs.WINDOWS).isEmpty()).isTrue();
    assertThat(FleetPlanner.plan(List.of(WIN)).isEmpty()).isTrue();
    assertThatThrownBy(
            () ->
                WindowsAgentDaemonSetRenderer.desired(
                    new FleetPlan(List.of(), null, List.of(), List.of()), SETTINGS, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
