package io.kubefim.config.serve;

import io.kubefim.api.compile.PolicyCompiler;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.config.source.PolicySnapshot;
import io.kubefim.config.source.PolicySource;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Each node's compiled {@link AgentConfig}, recompiled lazily per snapshot, and the long-poll:
 * {@link #awaitChange} completes as soon as a node's config version differs from the one the agent
 * holds, or after the wait with the unchanged config.
 *
 * <p>Threading: safe from any thread. Waiters are completed on the policy source's thread; nothing
 * here blocks.
 */
public final class NodeConfigs {
  private final PolicySource source;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Set<CompletableFuture<PolicySnapshot>> waiters = ConcurrentHashMap.newKeySet();

  public NodeConfigs(PolicySource source) {
    this.source = source;
    source.onChange(this::changed);
  }

  /** Agents waiting right now; for metrics and tests. */
  public int waiting() {
    return waiters.size();
  }

  /** The node's current config, or empty when the source does not know the node. */
  public Optional<AgentConfig> configOf(String node) {
    PolicySnapshot s = source.current();
    Cached c = cache.get(node);
    if (c != null && c.revision == s.revision()) {
      return Optional.of(c.config);
    }
    Optional<Map<String, String>> labels = s.labelsOf(node);
    if (labels.isEmpty()) {
      return Optional.empty();
    }
    AgentConfig config = PolicyCompiler.compile(s.policies(), node, labels.get());
    cache.put(node, new Cached(s.revision(), config));
    return Optional.of(config);
  }

  /**
   * Completes with the node's config once its version differs from {@code knownVersion}, or with
   * the current config when {@code wait} runs out (the caller then answers 304).
   */
  public CompletionStage<Optional<AgentConfig>> awaitChange(
      String node, String knownVersion, Duration wait) {
    // Register before looking, so that a change between the look and the wait is not missed.
    CompletableFuture<PolicySnapshot> change = new CompletableFuture<>();
    waiters.add(change);
    Optional<AgentConfig> now = configOf(node);
    if (now.isEmpty() || !now.get().version().equals(knownVersion) || wait.isZero()) {
      waiters.remove(change);
      return CompletableFuture.completedFuture(now);
    }
    long deadline = System.nanoTime() + wait.toNanos();
    return change
        .completeOnTimeout(null, wait.toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete((s, e) -> waiters.remove(change))
        .thenCompose(
            s -> {
              long left = deadline - System.nanoTime();
              if (s == null || left <= 0) {
                return CompletableFuture.completedFuture(configOf(node));
              }
              return awaitChange(node, knownVersion, Duration.ofNanos(left));
            });
  }

  private void changed(PolicySnapshot snapshot) {
    for (CompletableFuture<PolicySnapshot> w : waiters) {
      waiters.remove(w);
      w.complete(snapshot);
    }
  }

  private record Cached(long revision, AgentConfig config) {}
}
