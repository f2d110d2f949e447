package io.kubefim.operator.dependent;

import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;

/**
 * What the agent DaemonSet looks like apart from the policies: a plain value, so that {@link
 * AgentDaemonSetRenderer} is a pure function of ({@code FleetPlan}, settings, owners).
 *
 * @param namespace namespace of the DaemonSet and its ServiceAccount
 * @param image the node-agent image (Linux)
 * @param windowsImage the node-agent image for Windows nodes, run as a HostProcess container by
 *     {@link WindowsAgentDaemonSetRenderer}
 * @param imagePullPolicy the container's imagePullPolicy, or null for the Kubernetes default
 * @param configUrl config-service URL for {@code --config-url}
 * @param ingestUrl ingest-service URL for {@code --ingest-url}
 * @param priorityClassName the pods' priorityClassName, or null
 * @param cpuRequest CPU request (a Kubernetes quantity)
 * @param memoryRequest memory request
 * @param cpuLimit CPU limit, or null for none
 * @param memoryLimit memory limit, or null for none
 * @param tolerations tolerations for every agent pod, united with the policies' own
 * @param allowAttribution whether the pod may get what attribution needs (hostPID, SYS_ADMIN,
 *     SYS_PTRACE) while a policy asks for it; false: never
 * @param caBundleConfigMap ConfigMap holding the PEM bundle the agents trust, or null for the JVM's
 *     CAs
 * @param caBundleKey the bundle's key in that ConfigMap
 */
public record AgentSettings(
    String namespace,
    String image,
    String windowsImage,
    String imagePullPolicy,
    String configUrl,
    String ingestUrl,
    String priorityClassName,
    String cpuRequest,
    String memoryRequest,
    String cpuLimit,
    String memoryLimit,
    List<Toleration> tolerations,
    boolean allowAttribution,
    String caBundleConfigMap,
    String caBundleKey) {
  public AgentSettings {
    tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(windowsImage, "windowsImage");
    Objects.requireNonNull(configUrl, "configUrl");
    Objects.requireNonNull(ingestUrl, "ingestUrl");
  }

  /** Defaults for tests and examples: namespace {@code kubefim}, in-cluster service URLs. */
  public static AgentSettings defaults(String namespace) {
    return new AgentSettings(
        namespace,
        "ghcr.io/kubefim/kubefim-agent:0.1.0",
        "ghcr.io/kubefim/kubefim-agent-windows:0.1.0",
        null,
        "http://kubefim-config-service:8081",
        "http://kubefim-ingest-service:8080",
        null,
        "50m",
        "128Mi",
        null,
        "512Mi",
        List.of(),
        true,
        null,
        "ca.crt");
  }

  /** These settings with {@code allowAttribution} in place of their own. */
  public AgentSettings withAllowAttribution(boolean allow) {
    return new AgentSettings(
        namespace,
        image,
        windowsImage,
        imagePullPolicy,
        configUrl,
        ingestUrl,
        priorityClassName,
        cpuRequest,
        memoryRequest,
        cpuLimit,
        memoryLimit,
        tolerations,
        allow,
        caBundleConfigMap,
        caBundleKey);
  }

  /**
   * These settings with the agents trusting the CA bundle in ConfigMap {@code name}, key {@code
   * key}.
   */
  public AgentSettings withCaBundle(String name, String key) {
    return new AgentSettings(
        namespace,
        image,
        windowsImage,
        imagePullPolicy,
        configUrl,
        ingestUrl,
        priorityClassName,
        cpuRequest,
        memoryRequest,
        cpuLimit,
        memoryLimit,
        tolerations,
        allowAttribution,
        name,
        key);
  }
}
