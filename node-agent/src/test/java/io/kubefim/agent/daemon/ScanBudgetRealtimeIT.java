package io.kubefim.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.config.RuleSet;
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
import io.kubefim.api.config.ScanBudget;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FimEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: a scan held to a slow scanRate does not hold realtime detection up. 16 MiB of changed
 * files are rescanned at 2 MiB/s (the throttle makes that scan last about 8 s, however fast the
 * machine); a write to another watched file during it is reported by realtime while the scan still
 * runs, and exactly once (the scan does not report it again).
 */
class ScanBudgetRealtimeIT {
  private static final int FILES = 16;

  @TempDir Path tmp;

  @Test
  void realtimeIsReportedWhileABudgetedScanRuns() throws Exception {
    try (Fixture fx = new Fixture(tmp)) {
      fx.write("/data/app.conf", "a\n");
      for (int i = 0; i < FILES; i++) {
        fx.write("/data/bulk/f" + i, "x");
      }
      // the baseline, without a budget
      fx.engine(Fixture.rule("/data")).fullScan(DetectionSource.Scan);
      fx.drain();
      // every bulk file changes: the next scan reads 16 MiB
      byte[] mib = new byte[1 << 20];
      Random random = new Random(18);
      for (int i = 0; i < FILES; i++) {
        random.nextBytes(mib);
        Files.write(fx.hostRoot.resolve("data/bulk/f" + i), mib);
      }

      AgentConfig config =
          new AgentConfig(
              AgentConfig.FORMAT_VERSION,
              "v1",
              "node-a",
              List.of(
                  new AppliedPolicy("slow", 1)
                      .withScanBudget(new ScanBudget(2L << 20, 1, 10, ScanBudget.IDLE))),
              List.of(Fixture.rule("/data")));
      RuleSet rs = new RuleSet(config);
      HostFs hfs = new HostFs(fx.hostRoot, rs.roots());
      AgentMetrics metrics = new AgentMetrics();
      ScanEngine engine =
          new ScanEngine(
              rs,
              hfs,
              fx.store,
              new StoreChangeWriter(fx.store, metrics::recorded),
              new EventFactory("node-a", Clock.systemUTC()),
              new FileObserver(),
              fx.pool);
      assertThat(engine.scanBudget().rateBytesPerSecond()).isEqualTo(2L << 20);
      RealtimeQueue queue = new RealtimeQueue(p -> 200);
      List<FimEvent> seen = new ArrayList<>();
      try (InotifyBackend inotify = new InotifyBackend()) {
        RealtimeMonitor monitor =
            new RealtimeMonitor(rs, hfs, inotify, queue, System::currentTimeMillis);
        AgentDaemon daemon = new AgentDaemon(engine, monitor, queue, metrics, "test");
        try {
          daemon.start(); // the start-up scan is the budgeted one: the baseline exists
          await().atMost(Duration.ofSeconds(20)).until(() -> inotify.watchCount() >= 2);
          assertThat(daemon.ready()).as("the budgeted scan is still running").isFalse();

          fx.write("/data/app.conf", "changed during the scan\n");
          // a file the scan has in hand too: realtime's newer observation wins, reported once
          fx.write("/data/bulk/f" + (FILES - 1), "changed again during the scan\n");

          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> {
                    seen.addAll(fx.drain());
                    return !appConf(seen).isEmpty() || daemon.ready();
                  });
          assertThat(appConf(seen)).as("realtime's Modified, before the scan ended").hasSize(1);
          assertThat(daemon.ready()).as("the scan was still running").isFalse();
          assertThat(appConf(seen).get(0).getDetectionSource()).isEqualTo(DetectionSource.Realtime);
          assertThat(metrics.realtimeDuringScans()).isPositive();

          await().atMost(Duration.ofSeconds(60)).until(daemon::ready);
          seen.addAll(fx.drain());
          assertThat(appConf(seen)).as("the scan did not report it again").hasSize(1);
          List<FimEvent> bulk =
              seen.stream()
                  .filter(
                      e ->
                          e.getChangeType() == ChangeType.Modified
                              && e.getFilePath().startsWith("/data/bulk/"))
                  .toList();
          assertThat(bulk).as("one Modified a changed bulk file").hasSize(FILES);
          assertThat(bulk)
              .filteredOn(e -> e.getFilePath().equals("/data/bulk/f" + (FILES - 1)))
              .singleElement()
              .satisfies(
                  e -> assertThat(e.getDetectionSource()).isEqualTo(DetectionSource.Realtime));
          assertThat(bulk)
              .filteredOn(e -> e.getDetectionSource() == DetectionSource.Scan)
              .hasSize(FILES - 1);
          // and the baseline holds what realtime saw last: a scan now finds nothing
          daemon.close();
          assertThat(
                  engine
                      .reconcilePaths(List.of("/data/bulk/f" + (FILES - 1)), DetectionSource.Scan)
                      .events())
              .isEmpty();
        } finally {
          daemon.close();
          engine.close();
        }
      }
    }
  }

  private static List<FimEvent> appConf(List<FimEvent> seen) {
    return seen.stream()
        .filter(
            e ->
                e.getChangeType() == ChangeType.Modified
                    && "/data/app.conf".equals(e.getFilePath()))
        .toList();
  }
}
