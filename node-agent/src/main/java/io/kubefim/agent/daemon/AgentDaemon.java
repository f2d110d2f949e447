package io.kubefim.agent.daemon;

import io.kubefim.agent.engine.ScanEngine;
import io.kubefim.agent.engine.ScanEngine.ScanResult;
import io.kubefim.agent.http.AgentMetrics;
import io.kubefim.agent.watch.RealtimeMonitor;
import io.kubefim.agent.watch.RealtimeQueue;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine thread of {@code run}: the first scan (baseline or catch-up), then debounced realtime
 * work, coverage-gap rescans and scheduled full scans, all on one thread so baseline writes never
 * race. Readiness turns true once the first scan is committed.
 */
public final class AgentDaemon implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AgentDaemon.class.getName());
  private final ScanEngine engine;
  private final RealtimeMonitor monitor;
  private final RealtimeQueue queue;
  private final AgentMetrics metrics;
  private final String configVersion;
  private volatile boolean running;
  private volatile boolean ready;
  private volatile Throwable failure;
  private Thread thread;

  /**
   * @param monitor null when no rule is realtime
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
    this.configVersion = configVersion;
  }

  public boolean ready() {
    return ready && failure == null;
  }

  public synchronized void start() {
    running = true;
    thread = new Thread(this::loop, "kubefim-engine");
    thread.start();
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
    var ev = engine.events();
    engine.emit(
        ev.agent(ChangeType.AgentStarted, "kubefim-agent 0.1.0", null),
        ev.agent(
            ChangeType.PolicyApplied,
            "config " + configVersion + ": " + engine.rules().config().rules().size() + " rules",
            null));
    if (monitor != null) {
      engine.setDirectoryListener(monitor);
      monitor.start();
    }
    fullScan("startup");
    ready = true;
  }

  private long nextScan = Long.MAX_VALUE;

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
      queue.await(now, Math.max(1, Math.min(1000, nextScan - now)));
    } catch (InterruptedException e) {
      running = false;
      return;
    }
    if (!running) {
      return;
    }
    if (monitor != null) {
      for (Map.Entry<String, String> gap : monitor.takeGaps().entrySet()) {
        coverageGap(gap.getKey(), gap.getValue());
      }
    }
    now = System.currentTimeMillis();
    RealtimeQueue.Work w = queue.take(now);
    if (w.rescanAll()) {
      var ev = engine.events();
      engine.emit(
          ev.agent(
                  ChangeType.CoverageGap,
                  "inotify queue overflow: events lost under every realtime rule; rescanning",
                  "IN_Q_OVERFLOW")
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
    for (String[] rn : w.renames()) {
      engine.reconcileRename(rn[0], rn[1], DetectionSource.Realtime);
    }
    for (String dir : w.subtrees()) {
      engine.reconcileSubtree(dir, DetectionSource.Realtime);
    }
    if (!w.paths().isEmpty()) {
      engine.reconcilePaths(w.paths(), DetectionSource.Realtime);
    }
    if (System.currentTimeMillis() >= nextScan) {
      fullScan("schedule");
    }
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
