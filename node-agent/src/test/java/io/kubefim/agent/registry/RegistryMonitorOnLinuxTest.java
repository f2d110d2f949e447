package io.kubefim.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.agent.baseline.BaselineStore;
import io.kubefim.agent.engine.EventFactory;
import io.kubefim.agent.health.Workers;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor on its own thread, and on Linux: nothing of Advapi32 is ever loaded. */
class RegistryMonitorOnLinuxTest {
  @TempDir Path tmp;

  @Test
  void constructingAndRunningTheMonitorWithTheFakeNeverLoadsAdvapi32() throws Exception {
    Process p =
        new ProcessBuilder(
                System.getProperty("kubefim.test.java", "java"),
                "-Xlog:class+load=info",
                "-cp",
                System.getProperty("java.class.path"),
                LinuxMonitorMain.class.getName())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("events=1").contains(RegistryMonitor.class.getName() + " ");
    assertThat(out).doesNotContain("com.sun.jna.platform.win32").doesNotContain("Advapi32Registry");
  }

  @Test
  void onItsThreadARealtimeChangeBecomesAnEventAfterTheDebounce() throws IOException {
    InMemoryRegistry reg = new InMemoryRegistry();
    String run = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run";
    reg.sz(run, "Updater", "u.exe");
    List<FimEvent> committed = new CopyOnWriteArrayList<>();
    try (BaselineStore store = BaselineStore.open(tmp);
        RegistryMonitor m =
            new RegistryMonitor(
                reg,
                new SqliteSnapshotStore(store, committed::addAll),
                new EventFactory("akswin000001", Clock.systemUTC()),
                RegistryRules.config(RegistryRules.rule(run)))) {
      m.start(new Workers());
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(m::ready);
      reg.sz(run, "Updater", "evil.exe");

      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(2))
          .until(() -> committed.size() == 2); // BaselineCreated, then the change
      FimEvent e = committed.get(1);
      assertThat(e.getDetectionSource()).isEqualTo(DetectionSource.Realtime);
      assertThat(e.getRegistry().getNewValueData()).isEqualTo("evil.exe");
    }
  }
}
