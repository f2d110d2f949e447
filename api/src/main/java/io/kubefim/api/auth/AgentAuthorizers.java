package io.kubefim.api.auth;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Builds the {@link AgentAuthorizer} a service's settings ask for; shared by both services. */
public final class AgentAuthorizers {
  private AgentAuthorizers() {}

  /** How agents authenticate. */
  public enum Mode {
    /** Projected ServiceAccount token checked with a TokenReview (in a cluster; the default). */
    tokenreview,
    /** One shared token read from a file (local mode). */
    sharedToken,
    /** No authentication: tests and trusted networks only; logged loudly at start. */
    none
  }

  /** The authorizer {@code config} asks for; the client is asked for only in tokenreview mode. */
  public static AgentAuthorizer create(AuthConfig config, Supplier<KubernetesClient> client) {
    return create(
        config.mode(),
        config.audience(),
        config.agentServiceAccount(),
        config.cacheTtl(),
        config.sharedTokenFile(),
        client);
  }

  /**
   * @param sharedTokenFile for {@link Mode#sharedToken}: the file holding the token
   * @param client for {@link Mode#tokenreview}: asked only in that mode
   */
  public static AgentAuthorizer create(
      Mode mode,
      String audience,
      String agentServiceAccount,
      Duration cacheTtl,
      Optional<Path> sharedTokenFile,
      Supplier<KubernetesClient> client) {
    return switch (mode) {
      case none -> AgentAuthorizer.OPEN;
      case sharedToken -> new SharedTokenAuthorizer(read(sharedTokenFile));
      case tokenreview -> {
        KubernetesTokenReviewer api = new KubernetesTokenReviewer(client.get());
        yield new AgentAuthenticator(
            api, api, audience, agentServiceAccount, cacheTtl, Clock.systemUTC());
      }
    };
  }

  private static String read(Optional<Path> file) {
    Path p =
        file.orElseThrow(
            () ->
                new IllegalArgumentException(
                    "kubefim.auth.shared-token-file is required when kubefim.auth.mode=sharedToken"));
    try {
      return Files.readString(p).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("kubefim.auth.shared-token-file: cannot read " + p, e);
    }
  }
}
