package io.kubefim.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubefim.config.rollout.Heartbeats;
import io.kubefim.config.serve.NodeConfigs;
import io.kubefim.config.source.DirectoryPolicySource;
import io.kubefim.config.source.KubernetesPolicySource;
import io.kubefim.config.source.PolicySource;
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

  @Produces
  @Singleton
  Heartbeats heartbeats() {
    return new Heartbeats(Clock.systemUTC());
  }
}
