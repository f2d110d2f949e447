package io.kubefim.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.RawNames;
import io.kubefim.agent.health.Workers;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WatchServiceBackend} on the real file system (the JDK's WatchService over inotify here):
 * its own events to a recording sink (pairing, move out, raw names, overflow mapping, refused
 * watches, its thread under {@link Workers}), and overflow through the engine as CoverageGapIT does
 * it for inotify.
 */
class WatchServiceBackendIT {
  @TempDir Path tmp;
  final Workers workers = new Workers();
  final List<FsEvent> seen = new CopyOnWriteArrayList<>();
  WatchServiceBackend backend;

  @AfterEach
  void tearDown() {
    if (backend != null) {
      backend.close();
    }
  }

  /**
   * A backend watching {@code /w} (at {@code tmp/w}) and its directory {@code sub}, started, with
   * {@code files} made in {@code /w} before.
   */
  Path started(String... files) throws IOException {
    Path w = Files.createDirectories(tmp.resolve("w/sub"));
    for (String f : files) {
      Files.writeString(tmp.resolve("w").resolve(f), f);
    }
    backend = new WatchServiceBackend(workers);
    assertThat(backend.watch("/w", tmp.resolve("w"))).isNull();
    assertThat(backend.watch("/w/sub", w)).isNull();
    backend.start(seen::add);
    return tmp.resolve("w");
  }

  void awaitEvent(Predicate<FsEvent> p) {
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(p));
  }

  static Predicate<FsEvent> is(FsEvent.Kind kind, String path) {
    return e -> e.kind() == kind && e.path().equals(path);
  }

  @Test
  void aRenameIsOneMovedAndADeleteAloneIsChanged() throws IOException {
    Path w = started("a", "c");
    Files.move(w.resolve("a"), w.resolve("sub/b"));
    awaitEvent(is(FsEvent.Kind.MOVED, "/w/sub/b"));
    assertThat(seen).containsExactly(new FsEvent(FsEvent.Kind.MOVED, "/w/sub/b", "/w/a", false));
    seen.clear();
    Files.delete(w.resolve("c"));
    awaitEvent(is(FsEvent.Kind.CHANGED, "/w/c"));
    assertThat(seen).containsExactly(new FsEvent(FsEvent.Kind.CHANGED, "/w/c", null, false));
  }

  @Test
  void aDirectoryMovedOutIsMovedOutAndUnwatchedByTheMonitor() throws IOException {
    Path w = started();
    Files.createDirectories(tmp.resolve("elsewhere"));
    int before = backend.watchCount();
    Files.move(w.resolve("sub"), tmp.resolve("elsewhere/sub"));
    awaitEvent(is(FsEvent.Kind.MOVED_OUT, "/w/sub"));
    assertThat(seen).containsExactly(new FsEvent(FsEvent.Kind.MOVED_OUT, "/w/sub", null, true));
    backend.unwatchBelow("/w/sub"); // what RealtimeMonitor does with a MOVED_OUT directory
    assertThat(backend.watchCount()).isEqualTo(before - 1);
    seen.clear();
    Files.writeString(tmp.resolve("elsewhere/sub/x"), "x"); // no longer reported as /w/sub/x
    Files.writeString(w.resolve("marker"), "m");
    awaitEvent(is(FsEvent.Kind.CHANGED, "/w/marker"));
    assertThat(seen).noneMatch(e -> e.path().startsWith("/w/sub"));
  }

  @Test
  void aNewDirectoryIsCreatedDirAndADeletedWatchedOneSelfGone() throws IOException {
    Path w = started();
    Files.createDirectory(w.resolve("fresh"));
    awaitEvent(is(FsEvent.Kind.CREATED_DIR, "/w/fresh"));
    Files.delete(w.resolve("sub"));
    awaitEvent(is(FsEvent.Kind.SELF_GONE, "/w/sub"));
    await().atMost(Duration.ofSeconds(5)).until(() -> backend.watchCount() == 1);
  }

  @Test
  void namesThatAreNotUtf8AreRenderedAsTheScanRendersThem() throws IOException {
    Path w = started();
    Path made = RawNames.at(w, "made%80");
    Files.createDirectory(made);
    awaitEvent(is(FsEvent.Kind.CREATED_DIR, "/w/made\\x80"));
    assertThat(backend.watch("/w/made\\x80", made)).isNull(); // by its bytes
    RawNames.write(made, "f%81", "x");
    awaitEvent(is(FsEvent.Kind.CHANGED, "/w/made\\x80/f\\x81"));
  }

  @Test
  void aFullEventListIsOneOverflow() throws IOException {
    Path w = started();
    backend.pauseReading(true);
    for (int i = 0; i < 600; i++) { // over the JDK's 512 events of one key
      Files.writeString(w.resolve("f" + i), "x");
    }
    backend.pauseReading(false);
    awaitEvent(e -> e.kind() == FsEvent.Kind.OVERFLOW);
    assertThat(seen).filteredOn(e -> e.kind() == FsEvent.Kind.OVERFLOW).hasSize(1);
  }

  @Test
  void aWatchThatCannotBePlacedIsAReasonAndAGoneOneIsNot() throws IOException {
    Path w = started();
    assertThat(backend.watch("/w/none", w.resolve("none"))).isNull();
    Files.createSymbolicLink(w.resolve("link"), w.resolve("sub"));
    assertThat(backend.watch("/w/link", w.resolve("link"))).isNull();
    assertThat(backend.watchCount()).isEqualTo(2);
    backend.close();
    assertThat(backend.watch("/w/sub", w.resolve("sub"))).isNotNull().contains("closed");
  }

  @Test
  void itsThreadRunsUnderWorkersAndStopsWithClose() throws IOException {
    Path w = started();
    assertThat(threadAlive()).isTrue();
    backend.close();
    assertThat(threadAlive()).isFalse();
    assertThat(workers.stopped()).isEmpty(); // closed is not failed

    seen.clear();
    backend = new WatchServiceBackend(workers);
    backend.watch("/w", w);
    backend.start(
        e -> {
          throw new StackOverflowError("test");
        });
    Files.writeString(w.resolve("boom"), "b");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> workers.stopped().containsKey(WatchServiceBackend.THREAD));
  }

  static boolean threadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(WatchServiceBackend.THREAD) && t.isAlive());
  }

  @Test
  void overflowThroughTheEngineIsACoverageGapAndEveryChangeIsStillFound() throws IOException {
    try (Fixture fx = new Fixture(tmp.resolve("fx"))) {
      fx.write("/data/keep", "k");
      fx.write("/data/gone", "g");
      WatchServiceBackend be = new WatchServiceBackend();
      try (RealtimeHarness rt = new RealtimeHarness(fx, be, Fixture.rule("/data"))) {
        be.pauseReading(true);
        int files = 600;
        for (int i = 0; i < files; i++) {
          fx.write("/data/f" + i, "x");
        }
        fx.write("/data/keep", "changed");
        Files.delete(fx.p("/data/gone"));
        be.pauseReading(false);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    rt.events().stream()
                        .anyMatch(e -> e.getChangeType() == ChangeType.RescanCompleted));
        assertThat(rt.events())
            .filteredOn(e -> e.getChangeType() == ChangeType.CoverageGap)
            .singleElement()
            .satisfies(
                e -> {
                  assertThat(e.getDetails()).contains("WatchService event overflow");
                  assertThat(e.getErrorMessage()).isEqualTo("WATCH_SERVICE_OVERFLOW");
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
                      .anyMatch(RealtimeHarness.is(ChangeType.Modified, "/data/keep"))
                      .anyMatch(RealtimeHarness.is(ChangeType.Deleted, "/data/gone"));
                });
        assertThat(rt.metrics.scrape()).contains("kubefim_agent_coverage_gaps_total 1");
      }
    }
  }
}
