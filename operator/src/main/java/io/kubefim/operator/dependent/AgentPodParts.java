package io.kubefim.operator.dependent;

import static io.kubefim.operator.dependent.AgentDaemonSetRenderer.CA_DIR;
import static io.kubefim.operator.dependent.AgentDaemonSetRenderer.CA_FILE;
import static io.kubefim.operator.dependent.AgentDaemonSetRenderer.HTTP_PORT;
import static io.kubefim.operator.dependent.AgentDaemonSetRenderer.SPEC_HASH_ANNOTATION;
import static io.kubefim.operator.dependent.AgentDaemonSetRenderer.TOKEN_AUDIENCE;
import static io.kubefim.operator.dependent.AgentDaemonSetRenderer.TOKEN_DIR;
import static io.kubefim.operator.dependent.AgentDaemonSetRenderer.TOKEN_EXPIRATION_SECONDS;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpecBuilder;
import io.kubefim.api.compile.FleetPlan;
import io.kubefim.api.json.Json;
import io.kubefim.api.policy.FimPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the Linux and the Windows agent DaemonSets have in common ({@link AgentDaemonSetRenderer},
 * {@link WindowsAgentDaemonSetRenderer}): metadata and owners, the spec hash, the rolling update,
 * the projected token and CA bundle volumes, and the agent container and pod without anything
 * OS-specific. Pure functions; each call returns fresh objects the caller may go on building.
 */
final class AgentPodParts {
  private AgentPodParts() {}

  /**
   * The labels of the agent DaemonSet {@code name}, its pods and (with the Linux name) the
   * ServiceAccount.
   */
  static Map<String, String> labels(String name) {
    return Map.of(
        "app.kubernetes.io/name", name,
        "app.kubernetes.io/component", "agent",
        "app.kubernetes.io/part-of", "kubefim",
        "app.kubernetes.io/managed-by", "kubefim-operator");
  }

  /** The pod selector of the agent DaemonSet {@code name}: immutable once created, one label. */
  static Map<String, String> selector(String name) {
    return Map.of("app.kubernetes.io/name", name);
  }

  /** {@code plan}, or an IllegalArgumentException when it is empty (no DaemonSet then). */
  static FleetPlan nonEmpty(FleetPlan plan) {
    if (plan.isEmpty()) {
      throw new IllegalArgumentException("an empty plan has no DaemonSet");
    }
    return plan;
  }

  /**
   * The DaemonSet {@code name} with {@code spec}, its {@link
   * AgentDaemonSetRenderer#SPEC_HASH_ANNOTATION} and one owner reference per policy.
   */
  static DaemonSet daemonSet(
      String name,
      Map<String, String> labels,
      DaemonSetSpec spec,
      AgentSettings settings,
      Collection<FimPolicy> owners) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(SPEC_HASH_ANNOTATION, specHash(spec));
    return new DaemonSetBuilder()
        .withMetadata(metadata(name, labels, settings, owners, annotations))
        .withSpec(spec)
        .build();
  }

  /**
   * A DaemonSet spec around {@code pod}: the immutable {@code selector}, rolling updates of 10% of
   * the nodes at a time, five old revisions kept.
   */
  static DaemonSetSpec daemonSetSpec(
      Map<String, String> selector, Map<String, String> labels, PodSpec pod) {
    return new DaemonSetSpecBuilder()
        .withNewSelector()
        .withMatchLabels(new LinkedHashMap<>(selector))
        .endSelector()
        .withRevisionHistoryLimit(5)
        .withNewUpdateStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(new IntOrString("10%"))
        .endRollingUpdate()
        .endUpdateStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(new LinkedHashMap<>(sorted(labels)))
        .endMetadata()
        .withSpec(pod)
        .endTemplate()
        .build();
  }

  static ObjectMeta metadata(
      String name,
      Map<String, String> labels,
      AgentSettings settings,
      Collection<FimPolicy> owners,
      Map<String, String> annotations) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(settings.namespace())
        .withLabels(new LinkedHashMap<>(sorted(labels)))
        .withAnnotations(annotations)
        .withOwnerReferences(ownerReferences(owners))
        .build();
  }

  /** Owner references to {@code policies}, sorted by name; none is the controller. */
  static List<OwnerReference> ownerReferences(Collection<FimPolicy> policies) {
    return policies.stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .map(
            p ->
                new OwnerReferenceBuilder()
                    .withApiVersion(FimPolicy.API_VERSION)
                    .withKind(FimPolicy.KIND)
                    .withName(p.getMetadata().getName())
                    .withUid(p.getMetadata().getUid())
                    .build())
        .toList();
  }

  /** 16 hex digits of the SHA-256 of the spec's JSON. */
  static String specHash(DaemonSetSpec spec) {
    try {
      byte[] json = Json.mapper().writeValueAsString(spec).getBytes(StandardCharsets.UTF_8);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash the DaemonSet spec", e);
    }
  }

  /**
   * The pod both agents start from: the shared ServiceAccount without an API token, the settings'
   * priority class, the plan's node affinity, the policies' and the settings' tolerations, 30 s to
   * stop.
   */
  static PodSpecBuilder pod(FleetPlan plan, AgentSettings settings) {
    Affinity affinity = new Affinity();
    affinity.setNodeAffinity(plan.nodeAffinity());
    return new PodSpecBuilder()
        .withServiceAccountName(AgentDaemonSetRenderer.NAME)
        .withAutomountServiceAccountToken(false)
        .withPriorityClassName(settings.priorityClassName())
        .withAffinity(affinity)
        .withTolerations(tolerations(plan, settings))
        .withTerminationGracePeriodSeconds(30L);
  }

  /**
   * The agent container both agents start from: image, pull policy, NODE_NAME from the downward
   * API, the health port and probes, resources. The caller adds command, args, security context and
   * mounts.
   */
  static ContainerBuilder container(AgentSettings settings, String image) {
    return new ContainerBuilder()
        .withName("agent")
        .withImage(image)
        .withImagePullPolicy(settings.imagePullPolicy())
        .withEnv(
            new EnvVarBuilder()
                .withName("NODE_NAME")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("spec.nodeName")
                .endFieldRef()
                .endValueFrom()
                .build())
        .addNewPort()
        .withName("http")
        .withContainerPort(HTTP_PORT)
        .withProtocol("TCP")
        .endPort()
        .withReadinessProbe(probe("/q/health/ready", 5, 10, 3))
        .withLivenessProbe(probe("/q/health/live", 30, 20, 6))
        .withResources(resources(settings));
  }

  /**
   * The agent's {@code run} arguments: {@code --state}, the service URLs, {@code --node} from
   * NODE_NAME, then {@code osArgs}, the health port, and {@code --ca-file caFile} when the settings
   * name a CA bundle.
   */
  static List<String> runArgs(
      String stateDir, AgentSettings settings, List<String> osArgs, String caFile) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--state",
                stateDir,
                "--config-url",
                settings.configUrl(),
                "--ingest-url",
                settings.ingestUrl(),
                "--node",
                "$(NODE_NAME)"));
    args.addAll(osArgs);
    args.addAll(List.of("--http-port", Integer.toString(HTTP_PORT)));
    if (settings.caBundleConfigMap() != null) {
      args.addAll(List.of("--ca-file", caFile));
    }
    return args;
  }

  /**
   * The agent's identity towards config- and ingest-service: a projected ServiceAccount token with
   * audience {@link AgentDaemonSetRenderer#TOKEN_AUDIENCE}, rotated by the kubelet.
   */
  static Volume tokenVolume() {
    return new VolumeBuilder()
        .withName("kubefim-token")
        .withNewProjected()
        .addNewSource()
        .withNewServiceAccountToken()
        .withAudience(TOKEN_AUDIENCE)
        .withExpirationSeconds(TOKEN_EXPIRATION_SECONDS)
        .withPath("token")
        .endServiceAccountToken()
        .endSource()
        .endProjected()
        .build();
  }

  /** {@link #tokenVolume()} read-only at {@link AgentDaemonSetRenderer#TOKEN_DIR}. */
  static VolumeMount tokenMount() {
    return new VolumeMountBuilder()
        .withName("kubefim-token")
        .withMountPath(TOKEN_DIR)
        .withReadOnly(true)
        .build();
  }

  /**
   * The settings' CA bundle ConfigMap as a volume holding {@link AgentDaemonSetRenderer#CA_FILE};
   * only when {@link AgentSettings#caBundleConfigMap()} is set.
   */
  static Volume caVolume(AgentSettings settings) {
    return new VolumeBuilder()
        .withName("ca-bundle")
        .withNewConfigMap()
        .withName(settings.caBundleConfigMap())
        .addNewItem()
        .withKey(settings.caBundleKey())
        .withPath(CA_FILE)
        .endItem()
        .endConfigMap()
        .build();
  }

  /**
   * {@link #caVolume} read-only at {@link AgentDaemonSetRenderer#CA_DIR}: a directory mount (not
   * subPath), so an updated bundle is in place for the next start.
   */
  static VolumeMount caMount() {
    return new VolumeMountBuilder()
        .withName("ca-bundle")
        .withMountPath(CA_DIR)
        .withReadOnly(true)
        .build();
  }

  /** The policies' tolerations, then the operator-wide ones not already among them. */
  static List<Toleration> tolerations(FleetPlan plan, AgentSettings settings) {
    List<Toleration> all = new ArrayList<>(plan.tolerations());
    for (Toleration t : settings.tolerations()) {
      if (!all.contains(t)) {
        all.add(t);
      }
    }
    return all;
  }

  static Map<String, String> sorted(Map<String, String> map) {
    return new TreeMap<>(map);
  }

  private static Probe probe(String path, int initialDelay, int period, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString("http"))
        .endHttpGet()
        .withInitialDelaySeconds(initialDelay)
        .withPeriodSeconds(period)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  private static ResourceRequirements resources(AgentSettings s) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    putQuantity(requests, "cpu", s.cpuRequest());
    putQuantity(requests, "memory", s.memoryRequest());
    Map<String, Quantity> limits = new LinkedHashMap<>();
    putQuantity(limits, "cpu", s.cpuLimit());
    putQuantity(limits, "memory", s.memoryLimit());
    ResourceRequirements r = new ResourceRequirements();
    r.setRequests(requests);
    r.setLimits(limits);
    return r;
  }

  private static void putQuantity(Map<String, Quantity> map, String key, String value) {
    if (value != null && !value.isBlank()) {
      map.put(key, new Quantity(value));
    }
  }
}
