package io.kubefim.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubefim.config.pods.NodePods;
import io.kubefim.config.pods.PodDirectory;
import io.kubefim.config.rollout.Heartbeats;
import io.kubefim.config.serve.NodeConfigs;
import io.kubefim.config.source.DirectoryPolicySource;
import io.kubefim.config.source.KubernetesPolicySource;
import io.kubefim.config.source.PolicySource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** CDI producers: the policy source chosen by configuration, and the pure parts around it. */
@ApplicationScoped
public class Wiring {

  /** Started with the application, not on first use, so informers never start on an event loop. */
  @Produces
  @Singleton
  @Startup
  PolicySource policySource(ConfigServiceConfig config, Instance<KubernetesClient> client) {
    return switch (config.source()) {
      case directory ->
          new DirectoryPolicySource(
              config
                  .policiesDir()
                  .orElseThrow(
                      () ->
                          new IllegalStateException(
                              "kubefim.config.policies-dir is required when"
                                  + " kubefim.config.source=directory")),
              config.pollInterval().toMillis());
      case kubernetes -> new KubernetesPolicySource(client.get());
    };
  }

  void close(@Disposes PolicySource source) throws Exception {
    if (source instanceof AutoCloseable c) {
      c.close();
    }
  }

  @Produces
  @Singleton
  NodeConfigs nodeConfigs(PolicySource source) {
    return new NodeConfigs(source);
  }

  /**
   * Kubernetes mode: the node's pods from the API server, cached and rate-limited per node ({@link
   * NodePods}); only nodes the Node informer knows are listed. Local mode: no pods to look up.
   */
  @Produces
  @Singleton
  PodDirectory podDirectory(
      ConfigServiceConfig config,
      Instance<KubernetesClient> client,
      PolicySource source,
      MeterRegistry metrics) {
    return switch (config.source()) {
      case directory ->
          PodDirectory.none(
              "no pod directory in local mode (kubefim.config.source=directory): config-service"
                  + " has no Kubernetes API to ask");
      case kubernetes -> {
        KubernetesClient k = client.get();
        ConfigServiceConfig.Pods p = config.pods();
        yield new NodePods(
            node -> k.pods().inAnyNamespace().withField("spec.nodeName", node).list().getItems(),
            node -> source.current().nodes().containsKey(node),
            System::nanoTime,
            p.cacheTtl(),
            p.minRelistInterval(),
            p.maxNodes(),
            metrics);
      }
    };
  }

  @Produces
  @Singleton
  Heartbeats heartbeats() {
    return new Heartbeats(Clock.systemUTC());
  }
}
