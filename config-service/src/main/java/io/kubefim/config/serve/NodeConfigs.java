package io.kubefim.config.serve;

import io.kubefim.api.compile.CompileResult;
import io.kubefim.api.compile.PolicySet;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.PolicyValidator;
import io.kubefim.api.policy.ValidationProblem;
import io.kubefim.config.source.PolicySnapshot;
import io.kubefim.config.source.PolicySource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Each node's compiled {@link AgentConfig}, recompiled lazily per snapshot (once per distinct
 * selection of policies, {@link PolicySet}, not once per node), and the long-poll: {@link
 * #awaitChange} completes as soon as a node's config version differs from the one the agent holds,
 * or after the wait with the unchanged config.
 *
 * <p>One bad policy never stops the others (fail-open per policy, fail-closed for the policy
 * itself): a policy that fails validation, or whose compiling throws anything, is left out of every
 * node's config, logged once per snapshot, and reported by {@link #problemsOf} (the rollout route
 * hands it to the operator, which shows it in the policy's status).
 *
 * <p>Threading: safe from any thread. Waiters are completed on the policy source's thread; nothing
 * here blocks.
 */
public final class NodeConfigs {
  private static final Logger LOG = Logger.getLogger(NodeConfigs.class);

  private final PolicySource source;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Set<CompletableFuture<PolicySnapshot>> waiters = ConcurrentHashMap.newKeySet();
  private volatile Rejections rejections = new Rejections(-1, new ConcurrentHashMap<>());
  private volatile Compiling compiling = new Compiling(-1, new PolicySet(List.of()));

  public NodeConfigs(PolicySource source) {
    this.source = source;
    source.onChange(this::changed);
  }

  /**
   * Why the policy {@code name} of the current snapshot is left out of configs: its validation
   * problems, and any compile failure met while compiling a node's config; empty when it is served.
   */
  public List<ValidationProblem> problemsOf(String name) {
    List<ValidationProblem> p = rejectionsOf(source.current()).byPolicy.get(name);
    return p == null ? List.of() : p;
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
    CompileResult result = policySetOf(s).compile(node, labels.get());
    Rejections r = rejectionsOf(s);
    result.rejected().forEach((name, problems) -> r.add(name, problems));
    cache.put(node, new Cached(s.revision(), result.config()));
    return Optional.of(result.config());
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

  /** The policies of snapshot {@code s}, compiled once per selection for all nodes. */
  private PolicySet policySetOf(PolicySnapshot s) {
    Compiling c = compiling;
    if (c.revision != s.revision()) {
      synchronized (this) {
        c = compiling;
        if (c.revision != s.revision()) {
          c = new Compiling(s.revision(), new PolicySet(s.policies()));
          compiling = c;
        }
      }
    }
    return c.policies;
  }

  /** The rejections of snapshot {@code s}, validated once per revision. */
  private Rejections rejectionsOf(PolicySnapshot s) {
    Rejections r = rejections;
    if (r.revision == s.revision()) {
      return r;
    }
    synchronized (this) {
      if (rejections.revision != s.revision()) {
        Rejections next = new Rejections(s.revision(), new ConcurrentHashMap<>());
        for (FimPolicy p : s.policies()) {
          List<ValidationProblem> problems = PolicyValidator.validate(p);
          if (!problems.isEmpty()) {
            next.add(p.getMetadata() == null ? "" : p.getMetadata().getName(), problems);
          }
        }
        rejections = next;
      }
      return rejections;
    }
  }

  private record Cached(long revision, AgentConfig config) {}

  private record Compiling(long revision, PolicySet policies) {}

  /** Problems by policy name for one snapshot revision; each policy logged once. */
  private record Rejections(long revision, Map<String, List<ValidationProblem>> byPolicy) {
    void add(String policy, List<ValidationProblem> problems) {
      String name = policy == null ? "" : policy;
      if (byPolicy.putIfAbsent(name, List.copyOf(problems)) == null) {
        LOG.warnf("policy left out of every node's config: policy=%s problems=%s", name, problems);
      }
    }
  }
}
