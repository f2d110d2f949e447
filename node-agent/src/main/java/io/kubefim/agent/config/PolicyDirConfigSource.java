package io.kubefim.agent.config;

import io.kubefim.agent.health.Workers;
import io.kubefim.api.compile.PolicyCompiler;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.policy.FileProblem;
import io.kubefim.api.policy.PolicyFiles;
import io.kubefim.api.policy.PolicyLoadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code --policies DIR}: the FimPolicy YAML files in DIR, read by the api module's {@link
 * PolicyFiles} and compiled for this node by {@link PolicyCompiler}. Local mode has no Kubernetes
 * node object: the node's labels are taken as {@code kubernetes.io/os=<os>} and {@code
 * kubernetes.io/hostname=<node>}, the OS being the one the agent runs on ({@link #platformOs}:
 * {@code windows} on Windows, else {@code linux}) unless given ({@code check --node-os}, issue 15:
 * a Windows policy set checked on Linux under a host root). Any problem in any policy rejects the
 * whole directory (exit 64 for {@code check}): a half-applied policy set would silently monitor
 * less than written.
 *
 * <p>{@link #watch} re-reads the directory when it changes (the same hot reload as a config from
 * config-service); a directory with a problem is logged with every problem and the config in force
 * stays, for the same reason.
 */
public final class PolicyDirConfigSource implements ConfigSource {
  private static final Logger LOG = Logger.getLogger(PolicyDirConfigSource.class.getName());
  private final Path dir;
  private final String node;
  private final String os;
  private final CompiledPolicyCache cache;
  private ScheduledExecutorService poller;

  public PolicyDirConfigSource(Path dir, String node) {
    this(dir, node, null);
  }

  /** With {@code cache} (may be null): an unchanged directory is not compiled again. */
  public PolicyDirConfigSource(Path dir, String node, CompiledPolicyCache cache) {
    this(dir, node, platformOs(), cache);
  }

  /**
   * For a node whose {@code kubernetes.io/os} label is {@code os} ({@code linux}, {@code windows}).
   */
  public PolicyDirConfigSource(Path dir, String node, String os, CompiledPolicyCache cache) {
    this.dir = dir;
    this.node = node;
    this.os = os;
    this.cache = cache;
  }

  /** The {@code kubernetes.io/os} label of the machine the agent runs on. */
  public static String platformOs() {
    String name = System.getProperty("os.name", "");
    return name.regionMatches(true, 0, "Windows", 0, 7) ? "windows" : "linux";
  }

  @Override
  public AgentConfig load() throws InvalidConfigException {
    if (!Files.isDirectory(dir)) {
      throw new InvalidConfigException("--policies " + dir + ": not a directory");
    }
    if (cache == null) {
      return compile();
    }
    String key;
    try {
      key = cache.key(dir, os.equals("linux") ? node : node + " os=" + os);
    } catch (IOException e) {
      return compile(); // reading it again below reports the problem
    }
    Optional<AgentConfig> hit = cache.get(key);
    if (hit.isPresent()) {
      return hit.get();
    }
    AgentConfig config = compile();
    cache.put(key, config);
    return config;
  }

  private AgentConfig compile() throws InvalidConfigException {
    PolicyLoadResult result;
    try {
      result = PolicyFiles.load(dir);
    } catch (IOException e) {
      throw new InvalidConfigException("--policies " + dir + ": " + e.getMessage(), e);
    }
    if (!result.allProblems().isEmpty()) {
      throw new InvalidConfigException(
          result.allProblems().stream()
              .map(FileProblem::toString)
              .collect(Collectors.joining("\n  ", "\n  ", "")));
    }
    if (result.loaded().isEmpty()) {
      throw new InvalidConfigException("--policies " + dir + ": no FimPolicy found");
    }
    return PolicyCompiler.compile(
        result.policies(), node, Map.of("kubernetes.io/os", os, "kubernetes.io/hostname", node));
  }

  /**
   * Polls the directory every {@code pollMillis} and hands the freshly compiled config to {@code
   * onChange} (on the poller thread) whenever a file's name, size or modification time changed and
   * the directory is valid.
   */
  public void watch(long pollMillis, Consumer<AgentConfig> onChange) {
    watch(pollMillis, onChange, new Workers());
  }

  /** As {@link #watch(long, Consumer)}, every poll under {@code workers}' guard. */
  public synchronized void watch(long pollMillis, Consumer<AgentConfig> onChange, Workers workers) {
    String[] last = {fingerprint()};
    poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kubefim-policy-dir");
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(
        workers.guard(
            "kubefim-policy-dir",
            () -> {
              String now = fingerprint();
              if (now.equals(last[0])) {
                return;
              }
              last[0] = now;
              try {
                AgentConfig config = load();
                LOG.log(
                    Level.INFO,
                    "policies changed dir={0} policies={1} rules={2} version={3}",
                    new Object[] {
                      dir, config.policies().size(), config.rules().size(), config.version()
                    });
                onChange.accept(config);
              } catch (InvalidConfigException e) {
                LOG.log(
                    Level.WARNING,
                    "policies changed but invalid, the config in force stays dir={0} problems={1}",
                    new Object[] {dir, e.getMessage()});
              } catch (RuntimeException e) {
                LOG.log(
                    Level.WARNING, "cannot read policies dir={0} error={1}", new Object[] {dir, e});
              }
            }),
        pollMillis,
        pollMillis,
        TimeUnit.MILLISECONDS);
  }

  /** Stops {@link #watch}. */
  public synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
  }

  private String fingerprint() {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        if (Files.isRegularFile(p)) {
          b.append(p.getFileName())
              .append(':')
              .append(Files.size(p))
              .append(':')
              .append(Files.getLastModifiedTime(p).toInstant())
              .append('\n');
        }
      }
    } catch (IOException e) {
      return "";
    }
    return b.toString();
  }
}
