package io.kubefim.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubefim.agent.Fixture;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loss is never silent: overflow and refused watches become CoverageGap, rescan, RescanCompleted.
 */
class CoverageGapIT {
  @TempDir Path tmp;

  static long readLong(Path p) {
    try {
      // procfs files have size 0: Files.readString would stop early
      try (var in = Files.newInputStream(p)) {
        return Long.parseLong(
            new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim());
      }
    } catch (Exception e) {
      return -1;
    }
  }

  /**
   * An inotify instance with a small queue when we may lower the limit (root), else the default.
   */
  static long queueAtInit;

  static synchronized InotifyBackend smallQueueBackend() {
    Path limit = Path.of("/proc/sys/fs/inotify/max_queued_events");
    long old = readLong(limit);
    boolean lowered = false;
    try {
      if (old > 256 && Files.isWritable(limit)) {
        try (var o = Files.newOutputStream(limit)) {
          o.write("256\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        lowered = true;
      }
      queueAtInit = readLong(limit);
    } catch (IOException e) {
      // not allowed: flood past the default instead
    }
    try {
      return new InotifyBackend(); // the limit is read once, at inotify_init
    } finally {
      if (lowered) {
        try {
          try (var o = Files.newOutputStream(limit)) {
            o.write((old + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          }
        } catch (IOException e) {
          throw new IllegalStateException("could not restore max_queued_events=" + old, e);
        }
      }
    }
  }

  @Test
  void overflowIsReportedAndEveryChangeStillFound() throws IOException {
    try (Fixture fx = new Fixture(tmp)) {
      fx.write("/data/keep", "k");
      fx.write("/data/gone", "g");
      InotifyBackend backend = smallQueueBackend();
      long queue = queueAtInit;
      try (RealtimeHarness rt = new RealtimeHarness(fx, backend, Fixture.rule("/data"))) {
        backend.pauseReading(true);
        // each new file queues CREATE, MODIFY and CLOSE_WRITE in the watched directory
        int files = (int) (queue / 2 + 200);
        for (int i = 0; i < files; i++) {
          fx.write("/data/f" + i, "x");
        }
        fx.write("/data/keep", "changed");
        Files.delete(fx.p("/data/gone"));
        backend.pauseReading(false);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    rt.events().stream()
                        .anyMatch(e -> e.getChangeType() == ChangeType.RescanCompleted));
        List<FimEvent> ev = rt.events();
        assertThat(ev)
            .anySatisfy(
                e -> {
                  assertThat(e.getChangeType()).isEqualTo(ChangeType.CoverageGap);
                  assertThat(e.getDetails()).contains("overflow");
                });
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  Set<String> created =
                      rt.fileEvents().stream()
                          .filter(e -> e.getChangeType() == ChangeType.Created)
                          .map(FimEvent::getFilePath)
                          .collect(Collectors.toSet());
                  assertThat(created).hasSize(files);
                  assertThat(rt.fileEvents())
                      .anyMatch(
                          e ->
                              e.getChangeType() == ChangeType.Modified
                                  && e.getFilePath().equals("/data/keep"));
                  assertThat(rt.fileEvents())
                      .anyMatch(
                          e ->
                              e.getChangeType() == ChangeType.Deleted
                                  && e.getFilePath().equals("/data/gone"));
                });
        assertThat(rt.metrics.scrape()).contains("kubefim_agent_coverage_gaps_total 1");
      }
    }
  }

  /** A backend that refuses watches under one directory, as inotify does at max_user_watches. */
  static final class RefusingBackend implements WatchBackend {
    final InotifyBackend real = new InotifyBackend();
    final Set<String> refused = new HashSet<>();

    @Override
    public void start(Consumer<FsEvent> sink) {
      real.start(sink);
    }

    @Override
    public String watch(String hostDir, Path realDir) {
      if (hostDir.startsWith("/data/full")) {
        refused.add(hostDir);
        return "inotify watch limit reached (test)";
      }
      return real.watch(hostDir, realDir);
    }

    @Override
    public void unwatchBelow(String hostDir) {
      real.unwatchBelow(hostDir);
    }

    @Override
    public int watchCount() {
      return real.watchCount();
    }

    @Override
    public void close() {
      real.close();
    }
  }

  @Test
  void refusedWatchIsCoverageGapWithRescan() throws IOException {
    try (Fixture fx = new Fixture(tmp)) {
      fx.write("/data/ok/a", "a");
      fx.write("/data/full/b", "b");
      RefusingBackend backend = new RefusingBackend();
      try (RealtimeHarness rt = new RealtimeHarness(fx, backend, Fixture.rule("/data"))) {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    rt.events().stream()
                        .anyMatch(e -> e.getChangeType() == ChangeType.RescanCompleted));
        assertThat(rt.events())
            .filteredOn(e -> e.getChangeType() == ChangeType.CoverageGap)
            .singleElement()
            .satisfies(
                e -> {
                  assertThat(e.getFilePath()).isEqualTo("/data/full");
                  assertThat(e.getDetails()).contains("cannot watch");
                });
      }
    }
  }
}
