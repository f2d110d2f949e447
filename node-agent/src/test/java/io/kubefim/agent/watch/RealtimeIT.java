package io.kubefim.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubefim.agent.Fixture;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FieldChanged;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Realtime detection (SPEC §5) with real inotify on a temporary tree: one rule per test. {@link
 * WatchServiceRealtimeIT} runs the same tests on the JDK's WatchService.
 */
class RealtimeIT {
  @TempDir Path tmp;
  Fixture fx;
  RealtimeHarness rt;

  @BeforeEach
  void setUp() throws IOException {
    fx = new Fixture(tmp);
    fx.write("/etc/app/existing", "v1");
    fx.write("/etc/app/sub/inner", "i");
    Files.createDirectories(fx.p("/outside"));
    rt =
        new RealtimeHarness(
            fx,
            backend(),
            Fixture.rule("/etc/app", true, List.of(), List.of("*.swp", "*~", "*.tmp"), 1 << 20));
    assertThat(rt.events())
        .extracting(FimEvent::getChangeType)
        .contains(ChangeType.BaselineCreated);
  }

  /** The backend under test. */
  WatchBackend backend() {
    return new InotifyBackend();
  }

  @AfterEach
  void tearDown() throws IOException {
    rt.close();
    fx.close();
  }

  /** Waits for a file event matching {@code p}, then the debounce, and returns the file events. */
  List<FimEvent> awaitEvent(Predicate<FimEvent> p) {
    return rt.awaitFileEvent(p, Duration.ofSeconds(20), Duration.ofMillis(600));
  }

  static Predicate<FimEvent> is(ChangeType t, String path) {
    return RealtimeHarness.is(t, path);
  }

  @Test
  void created() throws IOException {
    fx.write("/etc/app/new", "hello");
    List<FimEvent> ev = awaitEvent(is(ChangeType.Created, "/etc/app/new"));
    assertThat(ev).hasSize(1);
    assertThat(ev.get(0).getDetectionSource()).isEqualTo(DetectionSource.Realtime);
    assertThat(ev.get(0).getFileSha256()).isNotNull();
  }

  @Test
  void modifiedContent() throws IOException {
    fx.write("/etc/app/existing", "v2");
    List<FimEvent> ev = awaitEvent(is(ChangeType.Modified, "/etc/app/existing"));
    assertThat(ev).hasSize(1);
    assertThat(ev.get(0).getFieldsChanged()).contains(FieldChanged.Content);
  }

  @Test
  void chmod() throws IOException {
    Files.setPosixFilePermissions(
        fx.p("/etc/app/existing"), PosixFilePermissions.fromString("rwx------"));
    List<FimEvent> ev = awaitEvent(is(ChangeType.Modified, "/etc/app/existing"));
    assertThat(ev)
        .singleElement()
        .satisfies(e -> assertThat(e.getFieldsChanged()).containsExactly(FieldChanged.Permissions));
  }

  @Test
  void chown() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "chown needs root");
    Files.setAttribute(fx.p("/etc/app/existing"), "unix:uid", 4242);
    List<FimEvent> ev = awaitEvent(is(ChangeType.Modified, "/etc/app/existing"));
    assertThat(ev)
        .singleElement()
        .satisfies(e -> assertThat(e.getFieldsChanged()).containsExactly(FieldChanged.Owner));
  }

  @Test
  void renameInsideIsRenamed() throws IOException {
    Files.move(fx.p("/etc/app/existing"), fx.p("/etc/app/sub/moved"));
    List<FimEvent> ev = awaitEvent(is(ChangeType.Renamed, "/etc/app/sub/moved"));
    assertThat(ev)
        .singleElement()
        .satisfies(e -> assertThat(e.getOriginalFilePath()).isEqualTo("/etc/app/existing"));
  }

  @Test
  void renameOutIsDeleted() throws IOException {
    Files.move(fx.p("/etc/app/existing"), fx.p("/outside/existing"));
    assertThat(awaitEvent(is(ChangeType.Deleted, "/etc/app/existing"))).hasSize(1);
  }

  @Test
  void renameIntoIsCreated() throws IOException {
    Files.writeString(fx.p("/outside/f"), "x");
    Files.move(fx.p("/outside/f"), fx.p("/etc/app/f"));
    assertThat(awaitEvent(is(ChangeType.Created, "/etc/app/f"))).hasSize(1);
  }

  @Test
  void directoryRenamedInsideRenamesItsFiles() throws IOException {
    Files.move(fx.p("/etc/app/sub"), fx.p("/etc/app/sub2"));
    List<FimEvent> ev = awaitEvent(is(ChangeType.Renamed, "/etc/app/sub2/inner"));
    assertThat(ev)
        .extracting(e -> e.getChangeType() + " " + e.getFilePath())
        .containsExactlyInAnyOrder("Renamed /etc/app/sub2", "Renamed /etc/app/sub2/inner");
    fx.write("/etc/app/sub2/after", "x"); // the watch follows the renamed directory
    awaitEvent(is(ChangeType.Created, "/etc/app/sub2/after"));
  }

  @Test
  void editorRenameOverIsOneModified() throws IOException {
    for (String temp :
        List.of("/etc/app/.existing.swp", "/etc/app/existing.tmp", "/etc/app/existing.new")) {
      rt.seen.clear();
      fx.write(temp, "edited by " + temp);
      Files.move(
          fx.p(temp),
          fx.p("/etc/app/existing"),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      List<FimEvent> ev = awaitEvent(is(ChangeType.Modified, "/etc/app/existing"));
      assertThat(ev)
          .as(temp)
          .singleElement()
          .satisfies(e -> assertThat(e.getFieldsChanged()).contains(FieldChanged.Content));
    }
  }

  @Test
  void newDirectoryWithFilesRightAway() throws IOException {
    Path d = Files.createDirectories(fx.p("/etc/app/fresh/deeper"));
    for (int i = 0; i < 20; i++) {
      Files.writeString(d.resolve("f" + i), "x" + i);
    }
    Files.writeString(fx.p("/etc/app/fresh/top"), "t");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                rt.fileEvents().stream()
                        .filter(e -> e.getChangeType() == ChangeType.Created)
                        .count()
                    == 23);
    List<FimEvent> ev = awaitEvent(is(ChangeType.Created, "/etc/app/fresh/top"));
    assertThat(ev).hasSize(23).allMatch(e -> e.getChangeType() == ChangeType.Created);
  }

  @Test
  void burstOfWritesIsOneEvent() throws IOException {
    try (OutputStream o =
        Files.newOutputStream(fx.p("/etc/app/existing"), StandardOpenOption.APPEND)) {
      for (int i = 0; i < 50; i++) {
        o.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
        o.flush();
      }
    }
    List<FimEvent> ev = awaitEvent(is(ChangeType.Modified, "/etc/app/existing"));
    assertThat(ev).singleElement().satisfies(e -> assertThat(e.getFileSize()).isGreaterThan(100));
  }

  @Test
  void deleted() throws IOException {
    Files.delete(fx.p("/etc/app/existing"));
    assertThat(awaitEvent(is(ChangeType.Deleted, "/etc/app/existing"))).hasSize(1);
  }

  @Test
  void symlinkRetarget() throws IOException {
    Files.createSymbolicLink(fx.p("/etc/app/link"), Path.of("a"));
    awaitEvent(is(ChangeType.Created, "/etc/app/link"));
    rt.seen.clear();
    Path tmpLink = fx.p("/etc/app/link.tmp");
    Files.createSymbolicLink(tmpLink, Path.of("b"));
    Files.move(
        tmpLink,
        fx.p("/etc/app/link"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    List<FimEvent> ev = awaitEvent(is(ChangeType.Modified, "/etc/app/link"));
    assertThat(ev)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getFieldsChanged()).containsExactly(FieldChanged.SymlinkTarget);
              assertThat(e.getSymlinkTarget()).isEqualTo("b");
              assertThat(e.getPreviousSymlinkTarget()).isEqualTo("a");
            });
  }

  @Test
  void excludedFileIsIgnored() throws IOException {
    fx.write("/etc/app/x.swp", "swap");
    fx.write("/etc/app/marker", "m");
    List<FimEvent> ev = awaitEvent(is(ChangeType.Created, "/etc/app/marker"));
    assertThat(ev).hasSize(1);
  }
}
