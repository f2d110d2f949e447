package io.kubefim.operator.dependent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.kubefim.api.compile.FleetPlan;
import io.kubefim.api.compile.NodeOs;
import io.kubefim.api.compile.NodeSelection;
import io.kubefim.api.policy.FimPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Renders the Windows agent DaemonSet from the Windows {@link FleetPlan} ({@code
 * FleetPlanner.plan(policies, NodeOs.WINDOWS)}, issue 15): a HostProcess pod running as {@value
 * #RUN_AS_USER_NAME} on every Windows node some policy selects. A pure function, like {@link
 * AgentDaemonSetRenderer}, with which it shares the ServiceAccount, the token and CA bundle
 * volumes, the probes, the resources and the priority class ({@link AgentPodParts}).
 *
 * <p>Why a HostProcess pod: the agent must read the host's own C:\ drive and registry hives (HKLM
 * SOFTWARE, SYSTEM, SECURITY), which a process-isolated Windows container cannot see. A HostProcess
 * container is a process on the host in a job object: the host's C:\ is its C:\, so the plan mounts
 * nothing, there is no {@code --host-root} and the state directory {@value #STATE_DIR} is written
 * on the host directly (no hostPath volume). It must use the host network ({@code hostNetwork:
 * true}); {@code dnsPolicy: ClusterFirstWithHostNet} keeps the cluster's DNS for the config- and
 * ingest-service names. None of the Linux pod's confinement applies (capabilities, read-only root,
 * seccomp, {@code /host} mounts, hostPID): on Windows the account is the boundary, and SYSTEM is
 * the one that can read SECURITY and the SAM (docs/security.md).
 *
 * <p>Files of the image are reached through {@value #SANDBOX}, which containerd's HostProcess shim
 * replaces in the command line by where the image's volume is mounted; volume mounts appear under
 * it too (containerd 1.6 links them there, 1.7 and later also bind them at their mount path), so
 * the token and the CA bundle are passed by that path.
 */
public final class WindowsAgentDaemonSetRenderer {
  /** Name of the DaemonSet and its app label. */
  public static final String NAME = "kubefim-agent-windows";

  /** The agent's baseline and spool on the host (a HostProcess container writes it directly). */
  public static final String STATE_DIR = "C:\\ProgramData\\kubefim";

  /** The Windows account the agent runs as. */
  public static final String RUN_AS_USER_NAME = "NT AUTHORITY\\SYSTEM";

  /** The HostProcess shim's placeholder for the root of the image's files. */
  public static final String SANDBOX = "%CONTAINER_SANDBOX_MOUNT_POINT%";

  /**
   * The Java runtime in the Windows image. TODO(issue 15): the agent's Windows launcher (the
   * counterpart of bin/kubefim-agent) does not exist yet, so the pod starts java itself.
   */
  public static final String JAVA = SANDBOX + "\\kubefim\\bin\\java.exe";

  /** The agent jar in the Windows image. */
  public static final String JAR = SANDBOX + "\\kubefim\\kubefim-agent.jar";

  /**
   * The JVM flags of bin/kubefim-agent that bound its memory (serial GC, 128 MiB heap), until the
   * Windows launcher holds them: the JVM does not size its heap from a job object's limit, so
   * without them it would take a quarter of the host's memory and hit the container's limit.
   */
  static final List<String> JVM_FLAGS =
      List.of(
          "-XX:+UseSerialGC",
          "-Xms16m",
          "-Xmx128m",
          "-Xss512k",
          "-XX:MaxMetaspaceSize=96m",
          "-XX:+ExitOnOutOfMemoryError");

  /**
   * Labels on the DaemonSet and its pods: its own app name, so the Linux DaemonSet's selector never
   * takes its pods and this one's never takes the Linux pods.
   */
  public static final Map<String, String> LABELS = AgentPodParts.labels(NAME);

  /** The DaemonSet's pod selector. */
  public static final Map<String, String> SELECTOR = AgentPodParts.selector(NAME);

  private WindowsAgentDaemonSetRenderer() {}

  /**
   * The desired Windows DaemonSet, as {@link AgentDaemonSetRenderer#desired} for the Linux one:
   * {@code plan} is the Windows plan and must not be empty (IllegalArgumentException), {@code
   * owners} the policies that shaped it.
   */
  public static DaemonSet desired(
      FleetPlan plan, AgentSettings settings, Collection<FimPolicy> owners) {
    return AgentPodParts.daemonSet(
        NAME, LABELS, spec(AgentPodParts.nonEmpty(plan), settings), settings, owners);
  }

  /** Where a volume mounted at the (Linux-style) {@code mountPath} is seen from the agent. */
  static String sandboxPath(String mountPath) {
    return SANDBOX + mountPath.replace('/', '\\');
  }

  private static DaemonSetSpec spec(FleetPlan plan, AgentSettings settings) {
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    volumes.add(AgentPodParts.tokenVolume());
    mounts.add(AgentPodParts.tokenMount());
    if (settings.caBundleConfigMap() != null) {
      volumes.add(AgentPodParts.caVolume(settings));
      mounts.add(AgentPodParts.caMount());
    }
    PodSpec pod =
        AgentPodParts.pod(plan, settings)
            .withNewOs()
            .withName(NodeOs.WINDOWS.label())
            .endOs()
            .withNodeSelector(Map.of(NodeSelection.OS_LABEL, NodeOs.WINDOWS.label()))
            .withHostNetwork(true)
            .withDnsPolicy("ClusterFirstWithHostNet")
            .withSecurityContext(
                new PodSecurityContextBuilder()
                    .withNewWindowsOptions()
                    .withHostProcess(true)
                    .withRunAsUserName(RUN_AS_USER_NAME)
                    .endWindowsOptions()
                    .build())
            .withContainers(container(settings, mounts))
            .withVolumes(volumes)
            .build();
    return AgentPodParts.daemonSetSpec(SELECTOR, LABELS, pod);
  }

  private static Container container(AgentSettings settings, List<VolumeMount> mounts) {
    List<String> command = new ArrayList<>();
    command.add(JAVA);
    command.addAll(JVM_FLAGS);
    command.addAll(List.of("-jar", JAR));
    List<String> args =
        AgentPodParts.runArgs(
            STATE_DIR,
            settings,
            List.of("--token-file", sandboxPath(AgentDaemonSetRenderer.TOKEN_DIR + "/token")),
            sandboxPath(AgentDaemonSetRenderer.CA_DIR + "/" + AgentDaemonSetRenderer.CA_FILE));
    return AgentPodParts.container(settings, settings.windowsImage())
        .withCommand(command)
        .withArgs(args)
        .withVolumeMounts(mounts)
        .build();
  }
}
