package io.kubefim.config.source;

import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.PolicyFiles;
import io.kubefim.api.policy.PolicyLoadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Local mode: the FimPolicy YAML files of one directory. The directory is polled (default every 250
 * ms) by a fingerprint of names, sizes and modification times, and re-read when that changes, so an
 * edit, an editor's rename-over and a removal all reach agents within a second. Invalid files are
 * carried in the snapshot and logged, never fatal (fail-open per file: the other files still
 * apply).
 *
 * <p>Threading: one daemon thread polls and calls listeners; {@link #current()} is safe from any
 * thread. Call {@link #close()} to stop it.
 */
public final class DirectoryPolicySource implements PolicySource, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DirectoryPolicySource.class);

  private final Path dir;
  private final List<Consumer<PolicySnapshot>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService poller;
  private volatile PolicySnapshot snapshot = PolicySnapshot.EMPTY;
  private volatile String fingerprint = "";
  private volatile boolean ready;

  public DirectoryPolicySource(Path dir, long pollMillis) {
    this.dir = dir;
    reload();
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "policy-dir-poller");
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(this::reload, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public PolicySnapshot current() {
    return snapshot;
  }

  @Override
  public void onChange(Consumer<PolicySnapshot> listener) {
    listeners.add(listener);
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }

  private void reload() {
    try {
      String now = fingerprint();
      if (ready && now.equals(fingerprint)) {
        return;
      }
      PolicyLoadResult loaded = PolicyFiles.load(dir);
      List<FimPolicy> policies = loaded.policies();
      List<String> problems = loaded.allProblems().stream().map(Object::toString).toList();
      problems.forEach(p -> LOG.warnf("policy rejected: %s", p));
      PolicySnapshot next =
          new PolicySnapshot(snapshot.revision() + 1, policies, problems, Map.of(), true);
      fingerprint = now;
      snapshot = next;
      ready = true;
      LOG.infof(
          "policies loaded: dir=%s policies=%d problems=%d revision=%d",
          dir, policies.size(), problems.size(), next.revision());
      listeners.forEach(l -> l.accept(next));
    } catch (IOException | RuntimeException e) {
      // Fail-open: keep serving the last good snapshot; the next poll tries again.
      LOG.errorf("cannot read policy directory %s: %s", dir, e.toString());
    }
  }

  private String fingerprint() throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("not a directory: " + dir);
    }
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted().toList()) {
        if (Files.isRegularFile(p)) {
          b.append(p)
              .append(':')
              .append(Files.size(p))
              .append(':')
              .append(Files.getLastModifiedTime(p).toInstant())
              .append('\n');
        }
      }
    }
    return b.toString();
  }
}
