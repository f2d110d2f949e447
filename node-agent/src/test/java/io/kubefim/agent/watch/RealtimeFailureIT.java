package io.kubefim.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.scan.FileObserver;
import io.kubefim.agent.scan.FileState;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure on one realtime event loses nothing (real inotify, one read buffer): the other events
 * of the same read are still reported, and the failing path's subtree is rescanned at once with a
 * CoverageGap ({@code REALTIME_FAILED}) and a RescanCompleted, as for an overflow.
 */
class RealtimeFailureIT {
  @TempDir Path tmp;
  Fixture fx;
  RealtimeHarness rt;
  InotifyBackend backend;

  @AfterEach
  void tearDown() throws IOException {
    if (rt != null) {
      rt.close();
    }
    fx.close();
  }

  /** Writes a, poison, b while reading is paused, so that their events come in one read. */
  void writeThreeInOneRead() throws IOException {
    backend.pauseReading(true);
    fx.write("/etc/app/a", "a");
    fx.write("/etc/app/poison", "p");
    fx.write("/etc/app/b", "b");
    backend.pauseReading(false);
  }

  static boolean is(FimEvent e, ChangeType t, String path) {
    return e.getChangeType() == t && path.equals(e.getFilePath());
  }

  void assertNothingLost() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              List<FimEvent> ev = rt.events();
              return ev.stream().anyMatch(e -> is(e, ChangeType.RescanCompleted, "/etc/app/poison"))
                  && ev.stream().anyMatch(e -> is(e, ChangeType.Created, "/etc/app/a"))
                  && ev.stream().anyMatch(e -> is(e, ChangeType.Created, "/etc/app/b"))
                  && ev.stream().anyMatch(e -> is(e, ChangeType.Created, "/etc/app/poison"));
            });
    List<FimEvent> ev = rt.events();
    assertThat(ev)
        .filteredOn(e -> e.getChangeType() == ChangeType.Created)
        .filteredOn(e -> !e.getFilePath().endsWith("/poison"))
        .extracting(FimEvent::getFilePath, FimEvent::getDetectionSource)
        .as("the other events of the same read are reported in realtime")
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("/etc/app/a", DetectionSource.Realtime),
            org.assertj.core.groups.Tuple.tuple("/etc/app/b", DetectionSource.Realtime));
    FimEvent gap =
        ev.stream().filter(e -> is(e, ChangeType.CoverageGap, "/etc/app/poison")).findFirst().get();
    assertThat(gap.getErrorMessage()).isEqualTo("REALTIME_FAILED");
    assertThat(gap.getDetails()).contains("injected");
    assertThat(ev.indexOf(gap))
        .as("the gap comes before its rescan")
        .isLessThan(
            ev.indexOf(
                ev.stream()
                    .filter(e -> is(e, ChangeType.RescanCompleted, "/etc/app/poison"))
                    .findFirst()
                    .get()));
    assertThat(ev)
        .filteredOn(e -> is(e, ChangeType.Created, "/etc/app/poison"))
        .extracting(FimEvent::getDetectionSource)
        .containsExactly(DetectionSource.Scan);
  }

  @Test
  void aFailureHandlingOneEventOfAReadKeepsTheOthersAndRescansItsPath() throws IOException {
    fx = new Fixture(tmp);
    fx.write("/etc/app/existing", "e");
    backend = new InotifyBackend();
    // the seam at the handler boundary: the queue's debounce lookup fails for one path
    RealtimeQueue queue =
        new RealtimeQueue(
            p -> {
              if (p.endsWith("/poison")) {
                throw new IllegalStateException("injected failure for " + p);
              }
              return 200;
            });
    rt = new RealtimeHarness(fx, backend, queue, new FileObserver(), Fixture.rule("/etc/app"));
    writeThreeInOneRead();
    assertNothingLost();
  }

  @Test
  void workTakenOffTheQueueThatFailsIsRescannedNotLost() throws IOException {
    fx = new Fixture(tmp);
    fx.write("/etc/app/existing", "e");
    backend = new InotifyBackend();
    AtomicInteger failures = new AtomicInteger(); // armed after the baseline
    FileObserver observer =
        new FileObserver() {
          @Override
          public FileState stat(Path real) throws IOException {
            if (real.getFileName().toString().equals("poison")
                && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              throw new IllegalStateException("injected engine failure at " + real);
            }
            return super.stat(real);
          }
        };
    rt =
        new RealtimeHarness(
            fx, backend, new RealtimeQueue(p -> 200), observer, Fixture.rule("/etc/app"));
    failures.set(2); // the batch, then the path on its own: then the rescan works
    writeThreeInOneRead();
    assertNothingLost();
  }
}
