package io.kubefim.operator.dependent;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.kubefim.api.compile.FleetPlan;
import io.kubefim.api.policy.FimPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the Linux agent DaemonSet and the ServiceAccount both agent DaemonSets share from a
 * {@link FleetPlan} (SPEC §3, §7); the Windows one is {@link WindowsAgentDaemonSetRenderer}'s, the
 * parts they have in common are {@link AgentPodParts}'. A pure function: equal plans, settings and
 * owners give equal objects with an equal {@link #SPEC_HASH_ANNOTATION}, which is how the operator
 * decides whether the live DaemonSet needs a write (the API server adds defaults to a live spec, so
 * specs are not compared field by field).
 */
public final class AgentDaemonSetRenderer {
  /**
   * Name of the Linux DaemonSet and its app label, and of the ServiceAccount of both agent
   * DaemonSets.
   */
  public static final String NAME = "kubefim-agent";

  /** Annotation on the DaemonSet: a hash of the rendered spec it was last written with. */
  public static final String SPEC_HASH_ANNOTATION = "kubefim.io/spec-hash";

  /** Where host directories are mounted in the container. */
  public static final String HOST_ROOT = "/host";

  /** The agent's baseline and spool, a hostPath so they survive pod restarts. */
  public static final String STATE_DIR = "/var/lib/kubefim";

  /** Where the projected ServiceAccount token is mounted. */
  public static final String TOKEN_DIR = "/var/run/secrets/kubefim";

  /** Audience of the projected token; config- and ingest-service accept only this one. */
  public static final String TOKEN_AUDIENCE = "kubefim";

  /** Lifetime of the projected token; the kubelet rotates it at 80%. */
  public static final long TOKEN_EXPIRATION_SECONDS = 3600;

  /** The agent's HTTP port (health). */
  public static final int HTTP_PORT = 8082;

  /** Labels on the DaemonSet, its pods and the ServiceAccount. */
  public static final Map<String, String> LABELS = AgentPodParts.labels(NAME);

  /** The DaemonSet's pod selector: immutable once created, so one stable label. */
  public static final Map<String, String> SELECTOR = AgentPodParts.selector(NAME);

  private AgentDaemonSetRenderer() {}

  /**
   * The desired DaemonSet for a non-empty plan.
   *
   * @param plan the fleet plan; must not be empty (an empty plan means no DaemonSet)
   * @param settings image, URLs, resources
   * @param owners the policies that shaped the plan: each becomes an owner reference
   * @throws IllegalArgumentException when the plan is empty
   */
  public static DaemonSet desired(
      FleetPlan plan, AgentSettings settings, Collection<FimPolicy> owners) {
    DaemonSetSpec spec =
        spec(AgentPodParts.nonEmpty(plan), settings, attributionGranted(settings, owners));
    return AgentPodParts.daemonSet(NAME, LABELS, spec, settings, owners);
  }

  /**
   * True when some policy among {@code policies} asks for {@code spec.attribution} and is live (not
   * being deleted) and not paused: only then does the agent need what attribution takes.
   */
  public static boolean attributionWanted(Collection<FimPolicy> policies) {
    return policies.stream().anyMatch(AgentDaemonSetRenderer::asksForAttribution);
  }

  /** Whether the rendered pod gets hostPID and the capabilities attribution needs. */
  static boolean attributionGranted(AgentSettings settings, Collection<FimPolicy> owners) {
    return settings.allowAttribution() && attributionWanted(owners);
  }

  private static boolean asksForAttribution(FimPolicy p) {
    return p.getSpec() != null
        && Boolean.TRUE.equals(p.getSpec().getAttribution())
        && !Boolean.TRUE.equals(p.getSpec().getPaused())
        && p.getMetadata().getDeletionTimestamp() == null;
  }

  /** The agent's ServiceAccount: no API token mounted, no RBAC bound (SPEC §7). */
  public static ServiceAccount serviceAccount(
      AgentSettings settings, Collection<FimPolicy> owners) {
    return new ServiceAccountBuilder()
        .withMetadata(AgentPodParts.metadata(NAME, LABELS, settings, owners, new LinkedHashMap<>()))
        .withAutomountServiceAccountToken(false)
        .build();
  }

  /** The value of {@link #SPEC_HASH_ANNOTATION} of an object, or null. */
  public static String specHashOf(HasMetadata live) {
    Map<String, String> a = live.getMetadata().getAnnotations();
    return a == null ? null : a.get(SPEC_HASH_ANNOTATION);
  }

  /** {@code /host} + the host path; the host root {@code /} is {@code /host} itself. */
  static String containerPath(String hostPath) {
    return hostPath.equals("/") ? HOST_ROOT : HOST_ROOT + hostPath;
  }

  /** Where the CA bundle ConfigMap is mounted in the agent container, and its file name. */
  static final String CA_DIR = "/etc/kubefim/ca";

  static final String CA_FILE = "ca.crt";

  private static DaemonSetSpec spec(FleetPlan plan, AgentSettings settings, boolean attribution) {
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    List<String> hostMounts = plan.hostMounts();
    for (int i = 0; i < hostMounts.size(); i++) {
      String name = "host-" + i;
      // type unset (""): no check before mounting, so a path missing on some node (a rule for
      // /etc/cron.daily on a minimal image) does not keep the pod from starting; the agent
      // reports the missing root itself. Directory would block the pod, DirectoryOrCreate would
      // create directories on the host.
      volumes.add(
          new VolumeBuilder()
              .withName(name)
              .withNewHostPath()
              .withPath(hostMounts.get(i))
              .endHostPath()
              .build());
      mounts.add(
          new VolumeMountBuilder()
              .withName(name)
              .withMountPath(containerPath(hostMounts.get(i)))
              .withReadOnly(true)
              .withMountPropagation("HostToContainer")
              .build());
    }
    volumes.add(
        new VolumeBuilder()
            .withName("state")
            .withNewHostPath()
            .withPath(STATE_DIR)
            .withType("DirectoryOrCreate")
            .endHostPath()
            .build());
    mounts.add(new VolumeMountBuilder().withName("state").withMountPath(STATE_DIR).build());
    volumes.add(AgentPodParts.tokenVolume());
    mounts.add(AgentPodParts.tokenMount());
    // The root filesystem is read-only; the JVM still wants a scratch /tmp.
    volumes.add(
        new VolumeBuilder()
            .withName("tmp")
            .withNewEmptyDir()
            .withSizeLimit(new Quantity("64Mi"))
            .endEmptyDir()
            .build());
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    if (settings.caBundleConfigMap() != null) {
      volumes.add(AgentPodParts.caVolume(settings));
      mounts.add(AgentPodParts.caMount());
    }

    PodSpec pod =
        AgentPodParts.pod(plan, settings)
            // hostPID only for attribution: the agent reads /proc of the host to name the process
            // behind a fanotify event; absent (not false) otherwise, so today's pod is unchanged
            .withHostPID(attribution ? Boolean.TRUE : null)
            .withSecurityContext(
                new PodSecurityContextBuilder()
                    .withSeccompProfile(
                        new SeccompProfileBuilder().withType("RuntimeDefault").build())
                    .build())
            .withContainers(container(settings, mounts, attribution))
            .withVolumes(volumes)
            .build();
    return AgentPodParts.daemonSetSpec(SELECTOR, LABELS, pod);
  }

  private static Container container(
      AgentSettings settings, List<VolumeMount> mounts, boolean attribution) {
    List<String> args =
        AgentPodParts.runArgs(
            STATE_DIR, settings, List.of("--host-root", HOST_ROOT), CA_DIR + "/" + CA_FILE);
    return AgentPodParts.container(settings, settings.image())
        .withArgs(args)
        .withSecurityContext(securityContext(attribution))
        .withVolumeMounts(mounts)
        .build();
  }

  /** Capabilities the agent always has: read any host file whatever its mode. */
  public static final List<String> BASE_CAPABILITIES = List.of("DAC_READ_SEARCH");

  /**
   * Capabilities added while a policy asks for attribution: SYS_ADMIN for fanotify_init and
   * fanotify_mark (and pidfds of the changing process), SYS_PTRACE to read /proc/PID/exe and
   * /proc/1/root/etc/passwd of other users' processes.
   */
  public static final List<String> ATTRIBUTION_CAPABILITIES =
      List.of("DAC_READ_SEARCH", "SYS_ADMIN", "SYS_PTRACE");

  /**
   * runAsUser 0: the agent must read root-only host files (/etc/shadow, /root) and write its
   * hostPath state; Linux grants a non-root process no effective capabilities, so DAC_READ_SEARCH
   * only works for uid 0. Everything else is taken away, whatever the settings: SYS_ADMIN and
   * SYS_PTRACE are added only while a live, not paused policy asks for attribution and {@code
   * allowAttribution} permits it (docs/security.md); never privileged, never privilege escalation.
   */
  private static SecurityContext securityContext(boolean attribution) {
    Capabilities caps =
        new Capabilities(
            new ArrayList<>(attribution ? ATTRIBUTION_CAPABILITIES : BASE_CAPABILITIES),
            List.of("ALL"));
    return new SecurityContextBuilder()
        .withRunAsUser(0L)
        .withRunAsNonRoot(false)
        .withPrivileged(false)
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withCapabilities(caps)
        .withSeccompProfile(new SeccompProfileBuilder().withType("RuntimeDefault").build())
        .build();
  }
}
