package io.kubefim.agent.config;

import io.kubefim.api.compile.CompileResult;
import io.kubefim.api.compile.PolicyCompiler;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.policy.FileProblem;
import io.kubefim.api.policy.PolicyFiles;
import io.kubefim.api.policy.PolicyLoadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code --policies DIR}: the FimPolicy YAML files of DIR ({@link PolicyFiles}, as config-service's
 * directory mode reads them), compiled for this node by {@link PolicyCompiler} with the labels of a
 * Linux node. {@link #load} is strict (start-up and {@code check}: every problem, by file and line,
 * is fatal); {@link #watch} re-reads the directory when it changes and, like config-service, skips
 * invalid policies with a warning while the valid ones apply.
 */
public final class PolicyDirConfigSource implements ConfigSource {
  private static final Logger LOG = Logger.getLogger(PolicyDirConfigSource.class.getName());
  private final Path dir;
  private final String node;
  private ScheduledExecutorService poller;

  public PolicyDirConfigSource(Path dir, String node) {
    this.dir = dir;
    this.node = node;
  }

  @Override
  public AgentConfig load() throws InvalidConfigException {
    PolicyLoadResult loaded = read();
    List<FileProblem> problems = loaded.allProblems();
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(
          problems.stream().map(FileProblem::toString).collect(Collectors.joining("\n")));
    }
    if (loaded.loaded().isEmpty()) {
      throw new InvalidConfigException("--policies " + dir + ": no FimPolicy found");
    }
    return compile(loaded).config();
  }

  /**
   * Polls the directory every {@code pollMillis} and hands a freshly compiled config to {@code
   * onChange} (on the poller thread) whenever a file's name, size or modification time changed.
   */
  public synchronized void watch(long pollMillis, Consumer<AgentConfig> onChange) {
    String[] last = {fingerprintOrEmpty()};
    poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kubefim-policy-dir");
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(
        () -> {
          String now = fingerprintOrEmpty();
          if (now.equals(last[0])) {
            return;
          }
          try {
            PolicyLoadResult loaded = read();
            loaded.allProblems().forEach(p -> LOG.log(Level.WARNING, "policy rejected: {0}", p));
            AgentConfig config = compile(loaded).config();
            last[0] = now;
            LOG.log(
                Level.INFO,
                "policies changed dir={0} policies={1} rules={2} version={3}",
                new Object[] {
                  dir, config.policies().size(), config.rules().size(), config.version()
                });
            onChange.accept(config);
          } catch (InvalidConfigException | RuntimeException e) {
            // keep the config in force; the next poll tries again
            LOG.log(Level.WARNING, "cannot read policies dir={0} error={1}", new Object[] {dir, e});
          }
        },
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

  private PolicyLoadResult read() throws InvalidConfigException {
    if (!Files.isDirectory(dir)) {
      throw new InvalidConfigException("--policies " + dir + ": not a directory");
    }
    try {
      return PolicyFiles.load(dir);
    } catch (IOException e) {
      throw new InvalidConfigException("--policies " + dir + ": " + e.getMessage(), e);
    }
  }

  private CompileResult compile(PolicyLoadResult loaded) {
    return PolicyCompiler.compileWithProblems(
        loaded.policies(),
        node,
        Map.of("kubernetes.io/hostname", node, "kubernetes.io/os", "linux"));
  }

  private String fingerprintOrEmpty() {
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
