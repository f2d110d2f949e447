package io.kubefim.agent.watch;

import static org.awaitility.Awaitility.await;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.baseline.BaselineStore;
import io.kubefim.agent.config.RuleSet;
import io.kubefim.agent.daemon.AgentDaemon;
import io.kubefim.agent.engine.EventFactory;
import io.kubefim.agent.engine.ScanEngine;
import io.kubefim.agent.engine.StoreChangeWriter;
import io.kubefim.agent.http.AgentMetrics;
import io.kubefim.agent.scan.FileObserver;
import io.kubefim.agent.scan.HostFs;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The daemon's engine thread with a real backend (inotify or WatchService), over a {@link Fixture}.
 */
final class RealtimeHarness implements AutoCloseable {
  final Fixture fx;
  final WatchBackend backend;
  final AgentDaemon daemon;
  final AgentMetrics metrics = new AgentMetrics();
  final List<FimEvent> seen = new ArrayList<>();

  RealtimeHarness(Fixture fx, WatchBackend backend, AgentRule... rules) {
    this(fx, backend, new RealtimeQueue(p -> 200), new FileObserver(), rules);
  }

  /** With the queue and observer given (seams for failure tests). */
  RealtimeHarness(
      Fixture fx,
      WatchBackend backend,
      RealtimeQueue queue,
      FileObserver observer,
      AgentRule... rules) {
    this.fx = fx;
    this.backend = backend;
    BaselineStore store = fx.store;
    RuleSet rs = new RuleSet(Fixture.config(rules));
    HostFs hfs = new HostFs(fx.hostRoot, rs.roots());
    ScanEngine engine =
        new ScanEngine(
            rs,
            hfs,
            store,
            new StoreChangeWriter(store, metrics::recorded),
            new EventFactory("node-a", Clock.systemUTC()),
            observer,
            fx.pool);
    RealtimeMonitor monitor =
        new RealtimeMonitor(rs, hfs, backend, queue, System::currentTimeMillis);
    daemon = new AgentDaemon(engine, monitor, queue, metrics, "test");
    daemon.start();
    await().atMost(Duration.ofSeconds(30)).until(daemon::ready);
  }

  /** Every event so far (drained from the outbox and kept). */
  synchronized List<FimEvent> events() {
    seen.addAll(fx.drain());
    return new ArrayList<>(seen);
  }

  /** File events only. */
  List<FimEvent> fileEvents() {
    return events().stream()
        .filter(e -> e.getMonitoredEntityType() == io.kubefim.api.event.EntityType.File)
        .toList();
  }

  /**
   * Waits up to {@code atMost} for a file event matching {@code p} (failing with the file events
   * seen), then {@code settle} more for what else the same action causes; the file events then.
   */
  List<FimEvent> awaitFileEvent(Predicate<FimEvent> p, Duration atMost, Duration settle) {
    try {
      await().atMost(atMost).until(() -> fileEvents().stream().anyMatch(p));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "the event awaited did not come; file events: "
              + fileEvents().stream().map(RealtimeHarness::brief).toList(),
          e);
    }
    await().pollDelay(settle).atMost(settle.plusSeconds(5)).until(() -> true);
    return fileEvents();
  }

  /** A change of {@code type} at {@code path}. */
  static Predicate<FimEvent> is(ChangeType type, String path) {
    return e -> e.getChangeType() == type && path.equals(e.getFilePath());
  }

  /** {@code Renamed /a/b from /a/c}, for failure messages. */
  static String brief(FimEvent e) {
    return e.getChangeType()
        + " "
        + e.getFilePath()
        + (e.getOriginalFilePath() == null ? "" : " from " + e.getOriginalFilePath());
  }

  @Override
  public void close() {
    daemon.close();
    backend.close();
  }
}
