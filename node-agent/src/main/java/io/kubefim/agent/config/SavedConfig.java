package io.kubefim.agent.config;

import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The last config received from config-service, kept at {@code <state>/config.json} so that a
 * restart while config-service is down monitors with it (SPEC: keeps its last config across
 * restarts). Written to a temp file and renamed, so a crash leaves the old file or the new one.
 */
public final class SavedConfig {
  public static final String FILE = "config.json";
  private final Path file;

  public SavedConfig(Path stateDir) {
    this.file = stateDir.resolve(FILE);
  }

  public Path file() {
    return file;
  }

  /**
   * The saved config, empty when there is none.
   *
   * @throws IOException when it exists but cannot be read or parsed
   */
  public Optional<AgentConfig> load() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(AgentConfigParser.parse(Files.readAllBytes(file)));
    } catch (ConfigSource.InvalidConfigException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Replaces the saved config atomically. */
  public void save(AgentConfig config) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), FILE, ".tmp");
    try {
      Files.write(tmp, Json.mapper().writeValueAsBytes(config));
      try (var ch =
          java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
