package io.kubefim.agent.registry;

import io.kubefim.agent.engine.EventFactory;
import io.kubefim.agent.health.Workers;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.event.DetectionSource;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Monitors the registry rules of a config (issue 15), the registry's counterpart of the file engine
 * (SPEC §5):
 *
 * <ul>
 *   <li>first start: every rule's keys are read into the snapshot, with one {@code BaselineCreated}
 *       agent event (meta {@value #META_BASELINE_CREATED}), not one per key;
 *   <li>restart: the stored snapshot is compared with the registry, changes made while the agent
 *       was down are reported with {@code DetectionSource=Scan};
 *   <li>realtime ({@code realtime: true}): a watch per rule ({@link Registry#watch}); a
 *       notification makes the rule due after its {@code debounceMillis} of quiet (at most ten
 *       times that after the first one), then its keys are read again and compared: {@code
 *       Realtime};
 *   <li>every {@code scanIntervalSeconds}: the same with {@code Scan}.
 * </ul>
 *
 * Each comparison's snapshot rows and events are written in one transaction ({@link
 * SnapshotStore#commit}); the in-memory snapshot moves on only after it, so a failed or crashed
 * commit reports the change again. A rule whose key does not exist yet is watched through its
 * nearest existing ancestor; a rule whose last name is a glob through its parent, subtree. Rules
 * added by {@link #applyConfig} are baselined silently, with their watches placed before those of
 * removed rules are dropped.
 *
 * <p>Threading: one thread ({@code kubefim-registry}, {@link #start}) does all reading and writing;
 * watches only mark rules due. {@link #applyConfig} and {@link #close} from any thread.
 */
public final class RegistryMonitor implements AutoCloseable {
  public static final String META_BASELINE_CREATED = "registry_baseline_created";
  private static final Logger LOG = Logger.getLogger(RegistryMonitor.class.getName());
  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final long NONE = RuleWatch.NONE;

  private final Registry registry;
  private final RegistryScanner scanner;
  private final LongSupplier nanoTime;
  private final Object lock = new Object();
  private final AtomicReference<AgentConfig> pending = new AtomicReference<>();
  // the monitor thread's (the due times: under lock, watches set them)
  private final Map<String, RuleWatch> rules = new LinkedHashMap<>();
  private volatile boolean running;
  private volatile boolean ready;
  private Thread thread;

  /**
   * Constructing reads nothing: the registry is first touched on the monitor's thread.
   *
   * @param config only its registry rules are used
   */
  public RegistryMonitor(
      Registry registry, SnapshotStore store, EventFactory events, AgentConfig config) {
    this(registry, store, events, config, System::nanoTime);
  }

  RegistryMonitor(
      Registry registry,
      SnapshotStore store,
      EventFactory events,
      AgentConfig config,
      LongSupplier nanoTime) {
    this.registry = registry;
    this.scanner = new RegistryScanner(store, events);
    this.nanoTime = nanoTime;
    for (AgentRule r : registryRules(config)) {
      RegistryRule rule = new RegistryRule(r);
      rules.putIfAbsent(rule.id, new RuleWatch(registry, rule, this::changed));
    }
  }

  /** Starts thread {@code kubefim-registry}: the first scan, then realtime and periodic work. */
  public synchronized void start(Workers workers) {
    running = true;
    thread = workers.start("kubefim-registry", false, this::loop);
  }

  /** True once the first scan (baseline or catch-up) is committed. */
  public boolean ready() {
    return ready;
  }

  /** Queues {@code config} for the monitor thread (the newest wins). Any thread. */
  public void applyConfig(AgentConfig config) {
    pending.set(config);
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  /** Stops the thread (waits for its current piece of work) and drops every watch. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      running = false;
      t = thread;
    }
    synchronized (lock) {
      lock.notifyAll();
    }
    if (t != null) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    rules.values().forEach(RuleWatch::unwatch);
  }

  private void loop() {
    long backoff = 1000;
    while (running && !ready) {
      try {
        firstScan();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "registry first scan failed, retrying error={0}", e.toString());
        if (!pause(TimeUnit.MILLISECONDS.toNanos(backoff), true)) {
          return;
        }
        backoff = Math.min(backoff * 2, 60_000);
      }
    }
    while (running) {
      AgentConfig next = pending.getAndSet(null);
      if (next != null && !apply(next)) {
        pending.compareAndSet(null, next);
        if (!pause(RETRY_NANOS, true)) {
          return;
        }
        continue;
      }
      runDue();
      if (!pause(nextDue() - nanoTime.getAsLong(), false)) {
        return;
      }
    }
  }

  /**
   * Waits up to {@code nanos} or until woken (a watch, a config unless {@code retrying}, close);
   * false when interrupted.
   */
  private boolean pause(long nanos, boolean retrying) {
    synchronized (lock) {
      if (nanos > 0 && running && (retrying || pending.get() == null)) {
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, nanos);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  /** Baseline (first start) or catch-up (restart), in one transaction. */
  void firstScan() throws IOException {
    scanner.firstScan(rules.values(), nanoTime.getAsLong());
    ready = true;
  }

  /** Compares every rule that is due now (notified and quiet, or its periodic scan). */
  void runDue() {
    long now = nanoTime.getAsLong();
    for (RuleWatch w : rules.values()) {
      boolean notified;
      synchronized (lock) {
        notified = w.takeIfDue(now);
      }
      boolean scan = w.nextScan <= now;
      if (!notified && !scan) {
        continue;
      }
      try {
        scanner.compare(w, notified ? DetectionSource.Realtime : DetectionSource.Scan);
      } catch (IOException e) {
        LOG.log(
            Level.WARNING,
            "registry compare failed, retrying policy={0} path={1} error={2}",
            new Object[] {w.rule.rule.policyNames(), w.rule.rule.path(), e.toString()});
        synchronized (lock) {
          w.notifyAt(now + RETRY_NANOS, now + RETRY_NANOS);
        }
      }
      if (scan) {
        w.scheduleScan(now);
      }
    }
  }

  /**
   * Moves to {@code next}: new rules baselined silently and watched, then old ones dropped.
   *
   * @return false when it could not be written (nothing changed; try again later)
   */
  boolean apply(AgentConfig next) {
    Map<String, RuleWatch> wanted = new LinkedHashMap<>();
    for (AgentRule r : registryRules(next)) {
      RegistryRule rule = new RegistryRule(r);
      RuleWatch kept = rules.get(rule.id);
      wanted.putIfAbsent(
          rule.id, kept != null ? kept : new RuleWatch(registry, rule, this::changed));
      wanted.get(rule.id).rule = rule; // policies, tags and timings may have changed
    }
    try {
      scanner.rebaseline(rules, wanted, nanoTime.getAsLong());
    } catch (IOException e) {
      LOG.log(Level.WARNING, "registry config not applied, retrying error={0}", e.toString());
      wanted.forEach(
          (id, w) -> {
            if (!rules.containsKey(id)) {
              w.unwatch(); // placed for a rule that is not in force
            }
          });
      return false;
    }
    for (Map.Entry<String, RuleWatch> e : rules.entrySet()) {
      if (!wanted.containsKey(e.getKey())) {
        e.getValue().unwatch();
      }
    }
    rules.clear();
    rules.putAll(wanted);
    return true;
  }

  /** Called by a watch, on its thread. */
  private void changed(RuleWatch w) {
    long now = nanoTime.getAsLong();
    synchronized (lock) {
      long debounce = TimeUnit.MILLISECONDS.toNanos(Math.max(0, w.rule.rule.debounceMillis()));
      w.notifyAt(now + debounce, now + 10 * debounce);
      lock.notifyAll();
    }
  }

  private long nextDue() {
    long next = NONE;
    synchronized (lock) {
      for (RuleWatch w : rules.values()) {
        next = Math.min(next, Math.min(w.due(), w.nextScan));
      }
    }
    return next == NONE ? nanoTime.getAsLong() + TimeUnit.HOURS.toNanos(1) : next;
  }

  private static List<AgentRule> registryRules(AgentConfig config) {
    return config.rules().stream().filter(AgentRule::registry).toList();
  }
}
