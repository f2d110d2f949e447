package io.kubefim.operator;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubefim.api.json.Json;
import io.kubefim.operator.dependent.AgentDaemonSetApplier;
import io.kubefim.operator.dependent.AgentSettings;
import io.kubefim.operator.status.HttpRolloutSource;
import io.kubefim.operator.status.PolicyEvents;
import io.kubefim.operator.status.RolloutSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Wires the operator's plain classes from {@link OperatorConfig}. Singletons, not client proxies:
 * the produced types are plain classes and records.
 */
@ApplicationScoped
public class OperatorBeans {
  /** Used when neither the configuration nor the Kubernetes client names a namespace. */
  public static final String DEFAULT_NAMESPACE = "kubefim";

  @Produces
  @Singleton
  AgentSettings agentSettings(OperatorConfig config, KubernetesClient client) {
    OperatorConfig.Agent a = config.agent();
    return new AgentSettings(
        namespace(config, client),
        a.image(),
        a.windowsImage(),
        a.imagePullPolicy().orElse(null),
        a.configUrl().orElse(config.configServiceUrl()),
        a.ingestUrl(),
        a.priorityClassName().orElse(null),
        a.cpuRequest(),
        a.memoryRequest(),
        a.cpuLimit().orElse(null),
        a.memoryLimit(),
        tolerations(a.tolerations()),
        a.allowAttribution(),
        a.caBundleConfigMap().orElse(null),
        a.caBundleKey());
  }

  @Produces
  @Singleton
  AgentDaemonSetApplier applier(KubernetesClient client, AgentSettings settings) {
    return new AgentDaemonSetApplier(client, settings);
  }

  @Produces
  @Singleton
  RolloutSource rolloutSource(OperatorConfig config) {
    return new HttpRolloutSource(
        config.configServiceUrl(),
        config.rolloutTimeout(),
        config.configServiceTokenFile(),
        config.configServiceCaFile());
  }

  @Produces
  @Singleton
  PolicyEvents policyEvents(KubernetesClient client, AgentSettings settings) {
    return new PolicyEvents(client, settings.namespace());
  }

  /** Parses kubefim.operator.agent.tolerations; a bad value stops the start with its reason. */
  static List<Toleration> tolerations(Optional<String> json) {
    if (json.isEmpty() || json.get().isBlank()) {
      return List.of();
    }
    try {
      return Json.mapper().readValue(json.get(), new TypeReference<List<Toleration>>() {});
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "kubefim.operator.agent.tolerations: not a JSON list of tolerations: " + e.getMessage(),
          e);
    }
  }

  static String namespace(OperatorConfig config, KubernetesClient client) {
    if (config.namespace().isPresent() && !config.namespace().get().isBlank()) {
      return config.namespace().get();
    }
    String fromClient = client.getNamespace();
    return fromClient == null || fromClient.isBlank() ? DEFAULT_NAMESPACE : fromClient;
  }
}
