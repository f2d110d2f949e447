package io.kubefim.agent.attribution;

import static org.awaitility.Awaitility.await;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.config.RuleSet;
import io.kubefim.agent.daemon.AgentDaemon;
import io.kubefim.agent.engine.EventFactory;
import io.kubefim.agent.engine.ScanEngine;
import io.kubefim.agent.engine.StoreChangeWriter;
import io.kubefim.agent.health.Workers;
import io.kubefim.agent.http.AgentMetrics;
import io.kubefim.agent.scan.FileObserver;
import io.kubefim.agent.scan.HostFs;
import io.kubefim.agent.watch.InotifyBackend;
import io.kubefim.agent.watch.RealtimeMonitor;
import io.kubefim.agent.watch.RealtimeQueue;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.event.EntityType;
import io.kubefim.api.event.FimEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon with real inotify and real fanotify over a {@link Fixture}: what a node runs, but in
 * the test JVM, with the host's {@code /proc}.
 */
final class AttributionHarness implements AutoCloseable {
  final Fixture fx;
  final InotifyBackend inotify = new InotifyBackend();
  final AttributionService attribution;
  final AgentDaemon daemon;
  private final List<FimEvent> seen = new ArrayList<>();

  AttributionHarness(Fixture fx, PodDirectory pods, AgentRule... rules) {
    this.fx = fx;
    RuleSet rs = new RuleSet(Fixture.config(rules));
    HostFs hfs = new HostFs(fx.hostRoot, rs.roots());
    AgentMetrics metrics = new AgentMetrics();
    EventFactory events = new EventFactory("node-a", Clock.systemUTC());
    attribution =
        new AttributionService(rs, hfs, new ProcReader(Path.of("/proc")), pods, new Workers());
    events.attributeWith(attribution.attributor());
    events.labelWith(
        new io.kubefim.agent.expect.ExpectationLabeller(() -> rs.config(), fx.hostRoot));
    ScanEngine engine =
        new ScanEngine(
            rs,
            hfs,
            fx.store,
            new StoreChangeWriter(fx.store, metrics::recorded),
            events,
            new FileObserver(),
            fx.pool);
    RealtimeQueue queue = new RealtimeQueue(p -> 200);
    RealtimeMonitor monitor =
        new RealtimeMonitor(rs, hfs, inotify, queue, System::currentTimeMillis);
    daemon = new AgentDaemon(engine, monitor, queue, metrics, "test");
    daemon.agentEventsFrom(() -> attribution.takeEvents(events));
    daemon.start();
    await().atMost(Duration.ofSeconds(30)).until(daemon::ready);
  }

  /** A rule that asks for attribution. */
  static AgentRule attributed(String path) {
    AgentRule r = Fixture.rule(path);
    return new AgentRule(
        r.path(),
        r.recursive(),
        r.include(),
        r.exclude(),
        r.attributes(),
        r.hashes(),
        r.maxFileSize(),
        r.realtime(),
        r.scanIntervalSeconds(),
        r.debounceMillis(),
        r.policyNames(),
        r.tags(),
        true);
  }

  synchronized List<FimEvent> events() {
    seen.addAll(fx.drain());
    return new ArrayList<>(seen);
  }

  List<FimEvent> fileEvents() {
    return events().stream().filter(e -> e.getMonitoredEntityType() == EntityType.File).toList();
  }

  /** Waits for the {@code nth} file event of {@code type} about {@code path} (20 s at most). */
  FimEvent awaitFileEvent(io.kubefim.api.event.ChangeType type, String path, int nth) {
    FimEvent[] found = new FimEvent[1];
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              List<FimEvent> e =
                  fileEvents().stream()
                      .filter(x -> x.getChangeType() == type && path.equals(x.getFilePath()))
                      .toList();
              if (e.size() >= nth) {
                found[0] = e.get(nth - 1);
              }
              return e.size() >= nth;
            });
    return found[0];
  }

  @Override
  public void close() {
    daemon.close();
    inotify.close();
    attribution.close();
  }
}
