package io.kubefim.agent.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bearer token the agent sends to config-service and ingest-service (SPEC §7): a projected
 * ServiceAccount token that the kubelet rotates, so the file is read again for every request. The
 * token itself is never logged. Thread-safe.
 */
public final class TokenFile {
  /** Where the DaemonSet mounts the projected token. */
  public static final Path DEFAULT = Path.of("/var/run/secrets/kubefim/token");

  private static final Logger LOG = Logger.getLogger(TokenFile.class.getName());
  private final Path file;
  private final RateLimitedLog failures = new RateLimitedLog(LOG, 60_000);

  private TokenFile(Path file) {
    this.file = file;
  }

  /** No token: requests go without Authorization (services in {@code mode=none}). */
  public static TokenFile none() {
    return new TokenFile(null);
  }

  public static TokenFile at(Path file) {
    return new TokenFile(file);
  }

  /** {@code --token-file} when given, else {@link #DEFAULT} when it exists, else none. */
  public static TokenFile resolve(Path option) {
    if (option != null) {
      return at(option);
    }
    return Files.exists(DEFAULT) ? at(DEFAULT) : none();
  }

  /** The file, null for none. */
  public Path file() {
    return file;
  }

  /**
   * The {@code Authorization} header value read now, or empty when there is no token file or it
   * cannot be read (logged at most once a minute, without its content).
   */
  public Optional<String> authorization() {
    if (file == null) {
      return Optional.empty();
    }
    try {
      String token = Files.readString(file).trim();
      if (token.isEmpty()) {
        failures.log(Level.WARNING, "token file is empty path={0}", file);
        return Optional.empty();
      }
      return Optional.of("Bearer " + token);
    } catch (IOException e) {
      failures.log(
          Level.WARNING,
          "cannot read token file path={0} error={1}",
          file,
          e.getClass().getSimpleName());
      return Optional.empty();
    }
  }
}
