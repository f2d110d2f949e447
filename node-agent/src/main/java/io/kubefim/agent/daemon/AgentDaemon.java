package io.kubefim.agent.daemon;

import io.kubefim.agent.engine.ScanEngine;
import io.kubefim.agent.engine.ScanEngine.ScanResult;
import io.kubefim.agent.health.Workers;
import io.kubefim.agent.http.AgentMetrics;
import io.kubefim.agent.watch.RealtimeMonitor;
import io.kubefim.agent.watch.RealtimeQueue;
import io.kubefim.agent.watch.WatchBackend;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The engine thread of {@code run}: the first scan (baseline or catch-up), then debounced realtime
 * work, coverage-gap rescans, scheduled full scans and config changes ({@link #applyConfig}), all
 * on one thread so baseline writes never race. Readiness turns true once the first scan is
 * committed.
 *
 * <p>The config in force is kept in the state database (meta {@value #META_APPLIED_CONFIG}, written
 * with its PolicyApplied event), so that a restart with a changed config first catches up under the
 * old rules and then moves to the new ones like a hot reload, instead of reporting every newly
 * monitored file as Created.
 */
public final class AgentDaemon implements AutoCloseable {
  public static final String META_APPLIED_CONFIG = "applied_config";
  private static final Logger LOG = Logger.getLogger(AgentDaemon.class.getName());
  private final ScanEngine engine;
  private final RealtimeMonitor monitor;
  private final RealtimeQueue queue;
  private final AgentMetrics metrics;
  private final AtomicReference<AgentConfig> pending = new AtomicReference<>();
  private final Map<String, String> gaps = new ConcurrentHashMap<>();
  private volatile Supplier<List<FimEvent>> agentEvents = List::of;
  private final RealtimeReconciler realtime;
  private volatile Consumer<AgentConfig> onApplied = c -> {};
  private volatile Consumer<String> unwatch = d -> {};
  private volatile Runnable onReady = () -> {};
  private volatile EngineTask everyLoop = () -> {};
  private volatile AgentConfig applied;
  private volatile boolean running;
  private volatile boolean ready;
  private volatile Throwable failure;
  private Thread thread;

  /**
   * @param engine its rules are the config to start with
   * @param monitor null when realtime watching is not available
   * @param configVersion unused: the config in the engine carries its version (kept for callers)
   */
  public AgentDaemon(
      ScanEngine engine,
      RealtimeMonitor monitor,
      RealtimeQueue queue,
      AgentMetrics metrics,
      String configVersion) {
    this.engine = engine;
    this.monitor = monitor;
    this.queue = queue;
    this.metrics = metrics;
    this.realtime = new RealtimeReconciler(engine);
    engine.letRealtimeIn(this::realtimeDuringScan);
  }

  /**
   * The realtime work due now, let in by a full scan (engine thread, inside the scan: issue 18).
   * Paths, subtrees and renames are reconciled; an overflow's rescan of everything waits for the
   * scan to end (it is put back on the queue), as do config changes.
   */
  private void realtimeDuringScan() {
    long now = System.currentTimeMillis();
    if (!queue.due(now)) {
      return;
    }
    RealtimeQueue.Work w = queue.take(now);
    if (w.rescanAll()) {
      queue.rescanAll();
    }
    realtime.apply(w);
    metrics.realtimeDuringScan();
  }

  /** Told on the engine thread after a config was applied and its PolicyApplied recorded. */
  public void onApplied(Consumer<AgentConfig> listener) {
    this.onApplied = listener;
  }

  /** Told on the engine thread once the first scan is committed (readiness turns true). */
  public void onReady(Runnable listener) {
    this.onReady = listener;
  }

  /** Drops the realtime watches at and below a directory no rule needs any more. */
  public void unwatchWith(Consumer<String> unwatch) {
    this.unwatch = unwatch;
  }

  public boolean ready() {
    return ready && failure == null;
  }

  /** The config in force, null before the first one was applied. */
  public AgentConfig applied() {
    return applied;
  }

  /** The engine's last failure, null while it works. */
  public Throwable failure() {
    return failure;
  }

  /**
   * Agent events from outside the engine (attribution's), asked for on the engine thread before the
   * watcher starts and between two pieces of work; the supplier may do its own engine-thread work.
   */
  public void agentEventsFrom(Supplier<List<FimEvent>> source) {
    this.agentEvents = source;
  }

  /** Work done on the engine thread between two pieces of work. */
  public interface EngineTask {
    void run() throws IOException;
  }

  /**
   * Runs {@code task} on the engine thread at start-up (before the first scan) and between two
   * pieces of work, at least about once a second (maintenance windows' summaries).
   */
  public void everyLoop(EngineTask task) {
    this.everyLoop = task;
  }

  /** Directories that could not be watched (path → reason): coverage gaps that persist. */
  public Map<String, String> coverageGaps() {
    return Map.copyOf(gaps);
  }

  /**
   * Queues {@code config} for the engine thread, which applies it between two pieces of work (the
   * newest queued config wins). Any thread.
   */
  public void applyConfig(AgentConfig config) {
    pending.set(config);
    queue.wake();
  }

  public void start() {
    start(new Workers());
  }

  /** Starts the engine thread ({@code kubefim-engine}) under {@code workers}' guard. */
  public synchronized void start(Workers workers) {
    running = true;
    thread = workers.start("kubefim-engine", false, this::loop);
  }

  private void loop() {
    long backoff = 1000;
    boolean started = false;
    while (running) {
      try {
        if (!started) {
          startUp();
          started = true;
        }
        work();
        failure = null;
        backoff = 1000;
      } catch (IOException | RuntimeException e) {
        failure = e;
        LOG.log(Level.SEVERE, "engine failed, retrying error={0}", e.toString());
        sleep(backoff);
        backoff = Math.min(backoff * 2, 60_000);
      }
    }
  }

  private void startUp() throws IOException {
    AgentConfig initial = engine.rules().config();
    AgentConfig previous = previousConfig();
    boolean switching =
        previous != null
            && !previous.version().equals(initial.version())
            && engine.baselineExists();
    var ev = engine.events();
    engine.emit(ev.agent(ChangeType.AgentStarted, "kubefim-agent 0.1.0", null));
    if (switching) {
      engine.useConfig(previous);
    } else {
      recordApplied(initial, null);
    }
    emitAgentEvents();
    everyLoop.run();
    if (monitor != null) {
      engine.setDirectoryListener(monitor);
      monitor.start();
    }
    fullScan("startup");
    if (switching) {
      applyNow(initial);
    }
    ready = true;
    onReady.run();
  }

  private AgentConfig previousConfig() {
    try {
      String json = engine.meta(META_APPLIED_CONFIG);
      return json == null ? null : Json.mapper().readValue(json, AgentConfig.class);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "previous config unreadable, ignored error={0}", e.toString());
      return null;
    }
  }

  /** Applies a queued config; on failure it is queued again (unless a newer one came). */
  private void applyPending() throws IOException {
    AgentConfig next = pending.getAndSet(null);
    if (next == null) {
      return;
    }
    try {
      applyNow(next);
    } catch (IOException | RuntimeException e) {
      pending.compareAndSet(null, next);
      throw e;
    }
  }

  private void applyNow(AgentConfig next) throws IOException {
    AgentConfig current = engine.rules().config();
    if (next.equals(current) && applied != null) {
      return;
    }
    long t0 = System.nanoTime();
    ScanEngine.ConfigChange c = engine.applyConfig(next);
    for (String root : c.removedRoots()) {
      if (!engine.rules().realtimeAt(root)) {
        unwatch.accept(root);
      }
    }
    gaps.keySet().removeIf(p -> engine.rules().select(p) == null && !engine.rules().descends(p));
    String change =
        "; added roots "
            + c.addedRoots()
            + " ("
            + c.entriesBaselined()
            + " entries baselined), removed roots "
            + c.removedRoots()
            + " ("
            + c.entriesDropped()
            + " entries dropped)";
    recordApplied(next, change);
    nextScan = System.currentTimeMillis() + engine.rules().scanIntervalSeconds() * 1000;
    LOG.log(
        Level.INFO,
        "config applied version={0} rules={1} added={2} removed={3} baselined={4} dropped={5}"
            + " took={6}ms",
        new Object[] {
          next.version(),
          next.rules().size(),
          c.addedRoots(),
          c.removedRoots(),
          c.entriesBaselined(),
          c.entriesDropped(),
          (System.nanoTime() - t0) / 1_000_000
        });
  }

  /** Records PolicyApplied with the config itself (meta), then tells the listener. */
  private void recordApplied(AgentConfig config, String change) throws IOException {
    String details =
        "config "
            + config.version()
            + ": "
            + config.rules().size()
            + " rules from policies "
            + config.policies().stream()
                .map(p -> p.name() + " (generation " + p.generation() + ")")
                .collect(Collectors.joining(", ", "[", "]"))
            + (change == null ? "" : change);
    engine.emit(
        Map.of(META_APPLIED_CONFIG, Json.mapper().writeValueAsString(config)),
        engine.events().agent(ChangeType.PolicyApplied, details, null));
    applied = config;
    onApplied.accept(config);
  }

  private long nextScan = Long.MAX_VALUE;

  private void emitAgentEvents() throws IOException {
    for (FimEvent e : agentEvents.get()) {
      engine.emit(e);
    }
  }

  private void fullScan(String why) throws IOException {
    long t0 = System.nanoTime();
    ScanResult r = engine.fullScan(DetectionSource.Scan);
    metrics.scanned(System.nanoTime() - t0);
    LOG.log(
        Level.INFO,
        "scan done reason={0} entries={1} events={2} took={3}ms",
        new Object[] {why, r.entriesSeen(), r.events(), r.millis()});
    nextScan = System.currentTimeMillis() + engine.rules().scanIntervalSeconds() * 1000;
  }

  private void work() throws IOException {
    long now = System.currentTimeMillis();
    try {
      if (pending.get() == null) {
        queue.await(now, Math.max(1, Math.min(1000, nextScan - now)));
      }
    } catch (InterruptedException e) {
      running = false;
      return;
    }
    if (!running) {
      return;
    }
    applyPending();
    emitAgentEvents();
    everyLoop.run();
    if (monitor != null) {
      for (Map.Entry<String, String> gap : monitor.takeGaps().entrySet()) {
        gaps.put(gap.getKey(), gap.getValue());
        coverageGap(gap.getKey(), gap.getValue());
      }
    }
    now = System.currentTimeMillis();
    RealtimeQueue.Work w = queue.take(now);
    if (w.rescanAll()) {
      try {
        rescanAll();
      } catch (IOException | RuntimeException e) {
        queue.rescanAll(); // taken off the queue: put back, not lost
        throw e;
      }
    }
    realtime.apply(w);
    realtime.rescanFailed(System.currentTimeMillis());
    if (System.currentTimeMillis() >= nextScan) {
      fullScan("schedule");
    }
  }

  private void rescanAll() throws IOException {
    var ev = engine.events();
    WatchBackend.Overflow overflow =
        monitor == null ? WatchBackend.Overflow.INOTIFY : monitor.overflow();
    engine.emit(
        ev.agent(
                ChangeType.CoverageGap,
                overflow.text() + ": events lost under every realtime rule; rescanning",
                overflow.code())
            .setFilePath("/"));
    long t0 = System.nanoTime();
    ScanResult r = engine.fullScan(DetectionSource.Scan);
    metrics.scanned(System.nanoTime() - t0);
    engine.emit(
        ev.agent(
                ChangeType.RescanCompleted,
                "rescan after overflow: "
                    + r.entriesSeen()
                    + " entries, "
                    + r.events()
                    + " changes",
                null)
            .setFilePath("/"));
  }

  private void coverageGap(String path, String why) throws IOException {
    var ev = engine.events();
    FimEvent gap =
        ev.agent(
                ChangeType.CoverageGap,
                "cannot watch " + path + ": " + why + "; rescanning it",
                why)
            .setFilePath(path);
    engine.emit(gap);
    ScanResult r = engine.reconcileSubtree(path, DetectionSource.Scan);
    engine.emit(
        ev.agent(
                ChangeType.RescanCompleted,
                "rescan of "
                    + path
                    + ": "
                    + r.entriesSeen()
                    + " entries, "
                    + r.events()
                    + " changes; realtime stays off there until it can be watched, scheduled scans cover it",
                null)
            .setFilePath(path));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    queue.wake();
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
