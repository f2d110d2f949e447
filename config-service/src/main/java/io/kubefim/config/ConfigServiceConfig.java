package io.kubefim.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** config-service settings, prefix {@code kubefim.config}. */
@ConfigMapping(prefix = "kubefim.config")
public interface ConfigServiceConfig {
  /** Where policies and nodes come from. */
  enum Source {
    /** FimPolicy and Node informers (in a cluster). */
    kubernetes,
    /** A directory of FimPolicy YAML files (local mode); any node name is accepted. */
    directory
  }

  /** Where policies come from: {@code kubernetes} or {@code directory}. */
  @WithDefault("kubernetes")
  Source source();

  /** The directory of FimPolicy YAML files; required when source is {@code directory}. */
  Optional<Path> policiesDir();

  /** How often the policy directory is checked for edits (directory source). */
  @WithDefault("250ms")
  Duration pollInterval();

  /** The longest long-poll an agent may ask for with {@code ?wait=}; longer asks are cut. */
  @WithDefault("60s")
  Duration maxWait();

  /**
   * {@code namespace:name} of the operator's ServiceAccount: in {@code
   * kubefim.auth.mode=tokenreview} the only caller of the rollout route (its token, audience {@code
   * kubefim.auth.audience}, is checked with a TokenReview).
   */
  @WithDefault("kubefim:kubefim-operator")
  String operatorServiceAccount();

  /** A node whose last heartbeat is older than this counts as not ready. */
  @WithDefault("90s")
  Duration heartbeatTimeout();

  /** The pod directory ({@code GET /v1/nodes/{node}/pods/{podUid}}), Kubernetes mode only. */
  Pods pods();

  /** Settings of the pod directory, prefix {@code kubefim.config.pods}. */
  interface Pods {
    /** How long a node's pod list answers lookups without being listed again. */
    @WithDefault("5s")
    Duration cacheTtl();

    /**
     * The shortest time between two lists of one node's pods, whatever the lookups ask (a miss, a
     * stale entry, a failed list): what bounds the load agents can put on the API server.
     */
    @WithDefault("2s")
    Duration minRelistInterval();

    /** The most nodes whose pod lists are kept; the least recently used is dropped beyond it. */
    @WithDefault("5000")
    int maxNodes();
  }
}
