package io.kubefim.agent.expect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.config.RuleSet;
import io.kubefim.agent.daemon.AgentDaemon;
import io.kubefim.agent.engine.EventFactory;
import io.kubefim.agent.engine.ScanEngine;
import io.kubefim.agent.engine.StoreChangeWriter;
import io.kubefim.agent.http.AgentMetrics;
import io.kubefim.agent.scan.FileObserver;
import io.kubefim.agent.scan.HostFs;
import io.kubefim.agent.watch.InotifyBackend;
import io.kubefim.agent.watch.RealtimeMonitor;
import io.kubefim.agent.watch.RealtimeQueue;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentConfig.AppliedPolicy;
import io.kubefim.api.config.AgentConfig.Window;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.EntityType;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real inotify in a temp dir: the same write is ChangeExpected with its window's name inside the
 * window and unlabelled outside it, and the window's end writes its summary. The event clock is
 * injected, no waiting for wall-clock hours.
 */
class ExpectedChangeRealtimeIT {
  @TempDir Path tmp;

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>();

    MovableClock(Instant start) {
      now.set(start);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  @Test
  void theSameWriteIsExpectedInsideTheWindowAndNotOutside() throws Exception {
    try (Fixture fx = new Fixture(tmp)) {
      fx.write("/data/app.conf", "a\n");
      AgentConfig config =
          new AgentConfig(
              AgentConfig.FORMAT_VERSION,
              "v1",
              "node-a",
              List.of(
                  new AppliedPolicy(
                      "test-policy",
                      1,
                      List.of(new Window("nightly", "0 2 * * *", 3600, "UTC")),
                      null,
                      List.of())),
              List.of(Fixture.rule("/data")));
      MovableClock clock = new MovableClock(Instant.parse("2026-05-06T02:30:00Z"));
      RuleSet rs = new RuleSet(config);
      HostFs hfs = new HostFs(fx.hostRoot, rs.roots());
      AgentMetrics metrics = new AgentMetrics();
      EventFactory events = new EventFactory("node-a", clock);
      ExpectationLabeller labeller = new ExpectationLabeller(() -> config, fx.hostRoot);
      events.labelWith(labeller);
      WindowTally windows =
          new WindowTally(
              new StoreChangeWriter(fx.store, metrics::recorded), labeller, events, null);
      ScanEngine engine =
          new ScanEngine(rs, hfs, fx.store, windows, events, new FileObserver(), fx.pool);
      RealtimeQueue queue = new RealtimeQueue(p -> 200);
      try (InotifyBackend inotify = new InotifyBackend()) {
        RealtimeMonitor monitor =
            new RealtimeMonitor(rs, hfs, inotify, queue, System::currentTimeMillis);
        AgentDaemon daemon = new AgentDaemon(engine, monitor, queue, metrics, "test");
        daemon.everyLoop(windows::closeEnded);
        List<FimEvent> seen = new ArrayList<>();
        try {
          daemon.start();
          await().atMost(Duration.ofSeconds(30)).until(daemon::ready);

          fx.write("/data/app.conf", "inside\n");
          FimEvent inside = awaitModified(fx, seen, 1);
          assertThat(inside.getExpectation().getChangeExpected()).isTrue();
          assertThat(inside.getExpectation().getExpectedReason())
              .isEqualTo("MaintenanceWindow:nightly");

          clock.now.set(Instant.parse("2026-05-06T03:00:00Z")); // the window has just ended
          fx.write("/data/app.conf", "outside\n");
          FimEvent outside = awaitModified(fx, seen, 2);
          assertThat(outside.getExpectation().isEmpty()).isTrue();
          assertThat(outside.getFileSha256()).isNotEqualTo(inside.getFileSha256());

          // the window's end wrote one summary: the one change inside it, by directory
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () -> {
                    seen.addAll(fx.drain());
                    return seen.stream()
                        .anyMatch(e -> e.getChangeType() == ChangeType.MaintenanceWindowClosed);
                  });
          List<FimEvent> closed =
              seen.stream()
                  .filter(e -> e.getChangeType() == ChangeType.MaintenanceWindowClosed)
                  .toList();
          assertThat(closed).hasSize(1);
          var details = Json.mapper().readTree(closed.get(0).getDetails());
          assertThat(details.get("window").asText()).isEqualTo("nightly");
          assertThat(details.get("changes").asLong()).isEqualTo(1);
          assertThat(details.get("byDirectory").get("/data").asLong()).isEqualTo(1);
          assertThat(closed.get(0).getExpectation().getExpectedReason())
              .isEqualTo("MaintenanceWindow:nightly");
        } finally {
          daemon.close();
        }
      }
    }
  }

  private static FimEvent awaitModified(Fixture fx, List<FimEvent> seen, int nth) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              seen.addAll(fx.drain());
              return modified(seen).size() >= nth;
            });
    return modified(seen).get(nth - 1);
  }

  private static List<FimEvent> modified(List<FimEvent> seen) {
    return seen.stream()
        .filter(
            e ->
                e.getMonitoredEntityType() == EntityType.File
                    && e.getChangeType() == ChangeType.Modified
                    && "/data/app.conf".equals(e.getFilePath()))
        .toList();
  }
}
