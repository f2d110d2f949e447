package io.kubefim.api.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How agents authenticate to config-service and ingest-service (SPEC §7), prefix {@code
 * kubefim.auth}. Shared by both services: each indexes the api jar ({@code
 * quarkus.index-dependency.kubefim-api}) so Quarkus finds this mapping.
 */
@ConfigMapping(prefix = "kubefim.auth")
public interface AuthConfig {
  /** {@code tokenreview} (in a cluster), {@code sharedToken} (local mode) or {@code none}. */
  @WithDefault("tokenreview")
  AgentAuthorizers.Mode mode();

  /** The audience agents' projected ServiceAccount tokens must carry. */
  @WithDefault("kubefim")
  String audience();

  /** {@code namespace:name} of the agents' ServiceAccount. */
  @WithDefault("kubefim:kubefim-agent")
  String agentServiceAccount();

  /** How long a successful TokenReview is trusted; a rejection is cached a tenth of it. */
  @WithDefault("60s")
  Duration cacheTtl();

  /** The file with the shared token, for {@code sharedToken} mode. */
  Optional<Path> sharedTokenFile();
}
