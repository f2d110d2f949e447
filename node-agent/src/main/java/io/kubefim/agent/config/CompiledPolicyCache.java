package io.kubefim.agent.config;

import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The compiled config of a {@code --policies} directory, kept at {@code
 * <state>/policies.cache.json} so that a {@code check} whose policies did not change skips YAML
 * parsing, validation and compilation (about 90 ms of every start, docs/benchmarks.md).
 *
 * <p>The key is the SHA-256 of the agent's own code (jar path, size, modification time), the node
 * name and the name and bytes of every regular file in the directory: any edit, added or removed
 * file, other node or other agent build is a miss, and the directory is read and compiled as usual.
 * Only a config that compiled is stored, so an invalid directory is reported every time. Reading or
 * writing the cache never fails a run: a problem is a miss.
 */
public final class CompiledPolicyCache {
  public static final String FILE = "policies.cache.json";
  private static final Logger LOG = Logger.getLogger(CompiledPolicyCache.class.getName());
  private final Path file;
  private final String codeId;

  /** What the file holds. */
  record Cached(String key, AgentConfig config) {}

  CompiledPolicyCache(Path file, String codeId) {
    this.file = file;
    this.codeId = codeId;
  }

  /** The cache in {@code stateDir}; empty when the agent does not run from a jar (tests, IDE). */
  public static Optional<CompiledPolicyCache> inStateDir(Path stateDir) {
    String id = jarIdentity();
    return id == null
        ? Optional.empty()
        : Optional.of(new CompiledPolicyCache(stateDir.resolve(FILE), id));
  }

  private static String jarIdentity() {
    try {
      Path jar =
          Path.of(
              CompiledPolicyCache.class
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI());
      if (!Files.isRegularFile(jar)) {
        return null;
      }
      return jar.toAbsolutePath() + ":" + Files.size(jar) + ":" + Files.getLastModifiedTime(jar);
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /** The key of {@code dir}'s current content for {@code node}. */
  String key(Path dir, String node) throws IOException {
    MessageDigest d;
    try {
      d = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    update(d, codeId);
    update(d, node);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      update(d, f.getFileName().toString());
      byte[] bytes = Files.readAllBytes(f);
      update(d, Integer.toString(bytes.length));
      d.update(bytes);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static void update(MessageDigest d, String s) {
    d.update(s.getBytes(StandardCharsets.UTF_8));
    d.update((byte) 0);
  }

  /** The config stored under {@code key}, or empty. */
  Optional<AgentConfig> get(String key) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      Cached c = Json.mapper().readValue(file.toFile(), Cached.class);
      return key.equals(c.key()) && c.config() != null ? Optional.of(c.config()) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "policy cache unreadable, ignored file=" + file, e);
      return Optional.empty();
    }
  }

  /** Stores {@code config} under {@code key}, replacing what was there. */
  void put(String key, AgentConfig config) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), FILE, ".tmp");
      try {
        Files.write(tmp, Json.mapper().writeValueAsBytes(new Cached(key, config)));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "policy cache not written file=" + file, e);
    }
  }
}
