package io.kubefim.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.scan.WalkDepth;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Realtime watches stop at the walk's depth bound, with a CoverageGap, not silently. {@link
 * WatchServiceDeepWatchIT} runs it on the JDK's WatchService.
 */
class DeepWatchIT {
  @TempDir Path tmp;

  /** The backend under test. */
  WatchBackend backend() {
    return new InotifyBackend();
  }

  @Test
  void aDeepTreeMovedInIsWatchedDownToTheBoundAndTheRestIsAGap() throws Exception {
    try (Fixture fx = new Fixture(tmp)) {
      fx.write("/data/a", "a");
      WatchBackend backend = backend();
      try (RealtimeHarness rt = new RealtimeHarness(fx, backend, Fixture.rule("/data"))) {
        int watchesBefore = backend.watchCount();
        // built outside the watched tree, then moved in at once
        Path outside = Files.createDirectories(fx.p("/staging").resolve("d/".repeat(300)));
        Files.writeString(outside.resolve("bottom"), "x");
        Files.move(fx.p("/staging/d"), fx.p("/data/d"));
        String gapDir = "/data" + "/d".repeat(WalkDepth.MAX); // depth MAX + 1
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    rt.events().stream()
                        .anyMatch(
                            e ->
                                e.getChangeType() == ChangeType.CoverageGap
                                    && gapDir.equals(e.getFilePath())));
        FimEvent gap =
            rt.events().stream()
                .filter(e -> e.getChangeType() == ChangeType.CoverageGap)
                .findFirst()
                .orElseThrow();
        assertThat(gap.getErrorMessage()).isEqualTo(WalkDepth.GAP_REASON);
        // /data/d down to depth MAX: MAX - 1 directories more, none below
        assertThat(backend.watchCount() - watchesBefore).isEqualTo(WalkDepth.MAX - 1);

        // a change inside the bound is still seen in realtime
        String mid = "/data" + "/d".repeat(100) + "/new";
        fx.write(mid, "n");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    rt.fileEvents().stream()
                        .anyMatch(
                            e ->
                                e.getChangeType() == ChangeType.Created
                                    && mid.equals(e.getFilePath())));
      }
    }
  }
}
