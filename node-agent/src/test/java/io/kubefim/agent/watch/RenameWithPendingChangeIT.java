package io.kubefim.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.scan.FileObserver;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FieldChanged;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * SPEC §5: a rename inside the watched set is {@code Renamed} also when a change of the file is
 * still waiting for its debounce; the change is reported too, never turned into Deleted + Created
 * (issue 13). Real inotify, a debounce of 500 ms, every operation well within it; {@link
 * WatchServiceRenameWithPendingChangeIT} runs the same tests on the JDK's WatchService.
 */
class RenameWithPendingChangeIT {
  static final long DEBOUNCE = 500;
  @TempDir Path tmp;
  Fixture fx;
  RealtimeHarness rt;

  @BeforeEach
  void setUp() throws IOException {
    fx = new Fixture(tmp);
    fx.write("/etc/app/f", "v1\n");
    fx.write("/etc/app/d/x", "x1\n");
    Files.setPosixFilePermissions(fx.p("/etc/app/f"), PosixFilePermissions.fromString("rw-r--r--"));
    rt =
        new RealtimeHarness(
            fx,
            backend(),
            new RealtimeQueue(p -> DEBOUNCE),
            new FileObserver(),
            Fixture.rule("/etc/app"));
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

  /** Waits for an event matching {@code p}, then two debounces more, and returns file events. */
  List<FimEvent> awaitEvent(Predicate<FimEvent> p) {
    return rt.awaitFileEvent(p, Duration.ofSeconds(10), Duration.ofMillis(2 * DEBOUNCE + 200));
  }

  static Predicate<FimEvent> is(ChangeType t, String path) {
    return RealtimeHarness.is(t, path);
  }

  void chmod600(String path) throws IOException {
    Files.setPosixFilePermissions(fx.p(path), PosixFilePermissions.fromString("rw-------"));
  }

  void mv(String from, String to) throws IOException {
    Files.move(fx.p(from), fx.p(to));
  }

  void append(String path, String s) throws IOException {
    Files.writeString(fx.p(path), s, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  static void pause() {
    try {
      Thread.sleep(50); // a tenth of the debounce: the two operations are still in one window
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The permission change, under the old name, then the rename; the Renamed has the new mode. */
  void assertModifiedThenRenamed(List<FimEvent> ev, FieldChanged... fields) {
    assertThat(ev)
        .extracting(RealtimeHarness::brief)
        .containsExactly("Modified /etc/app/f", "Renamed /etc/app/g from /etc/app/f");
    assertThat(ev.get(0).getFieldsChanged()).containsExactlyInAnyOrder(fields);
    assertThat(ev.get(1).getFileName()).isEqualTo("g");
    assertThat(ev.get(1).getOriginalFileName()).isEqualTo("f");
  }

  @Test
  void chmodThenRenameAtOnceIsModifiedThenRenamed() throws IOException {
    chmod600("/etc/app/f");
    mv("/etc/app/f", "/etc/app/g");
    List<FimEvent> ev = awaitEvent(is(ChangeType.Renamed, "/etc/app/g"));
    assertModifiedThenRenamed(ev, FieldChanged.Permissions);
    assertThat(ev.get(0).getPreviousFileMode()).isEqualTo("0644");
    assertThat(ev.get(0).getFileMode()).isEqualTo("0600");
    assertThat(ev.get(1).getFileMode()).isEqualTo("0600");
  }

  @Test
  void chmodThenRenameApartWithinTheDebounceIsModifiedThenRenamed() throws IOException {
    // the chmod's debounce ends before the rename's: it used to be taken alone (Deleted f)
    chmod600("/etc/app/f");
    pause();
    mv("/etc/app/f", "/etc/app/g");
    List<FimEvent> ev = awaitEvent(is(ChangeType.Renamed, "/etc/app/g"));
    assertModifiedThenRenamed(ev, FieldChanged.Permissions);
    assertThat(ev.get(1).getFileMode()).isEqualTo("0600");
  }

  @Test
  void appendThenRenameIsModifiedThenRenamed() throws IOException {
    append("/etc/app/f", "x\n");
    pause();
    mv("/etc/app/f", "/etc/app/g");
    List<FimEvent> ev = awaitEvent(is(ChangeType.Renamed, "/etc/app/g"));
    assertModifiedThenRenamed(ev, FieldChanged.Content, FieldChanged.Size);
    assertThat(ev.get(0).getFileSize()).isEqualTo(5);
    assertThat(ev.get(0).getPreviousFileSize()).isEqualTo(3);
    // the Renamed carries the content as it is now, the Modified says it changed
    assertThat(ev.get(1).getFileSha256())
        .isEqualTo(ev.get(0).getFileSha256())
        .isNotEqualTo(ev.get(0).getPreviousFileSha256());
  }

  @Test
  void writeToTheNewNameRightAfterTheRenameIsRenamedThenModified() throws IOException {
    mv("/etc/app/f", "/etc/app/g");
    pause();
    append("/etc/app/g", "x\n");
    List<FimEvent> ev = awaitEvent(is(ChangeType.Modified, "/etc/app/g"));
    assertThat(ev)
        .extracting(RealtimeHarness::brief)
        .containsExactly("Renamed /etc/app/g from /etc/app/f", "Modified /etc/app/g");
    FimEvent renamed = ev.get(0);
    FimEvent modified = ev.get(1);
    // the Renamed describes the file as it was renamed, the Modified the write after it
    assertThat(renamed.getFileSize()).isEqualTo(3);
    assertThat(modified.getFieldsChanged())
        .containsExactlyInAnyOrder(FieldChanged.Content, FieldChanged.Size);
    assertThat(modified.getPreviousFileSha256()).isEqualTo(renamed.getFileSha256());
    assertThat(modified.getFileSize()).isEqualTo(5);
  }

  @Test
  void renameChainWithinTheDebounceIsOneRenamedFromTheFirstName() throws IOException {
    mv("/etc/app/f", "/etc/app/g");
    mv("/etc/app/g", "/etc/app/h");
    List<FimEvent> ev = awaitEvent(is(ChangeType.Renamed, "/etc/app/h"));
    assertThat(ev)
        .extracting(RealtimeHarness::brief)
        .containsExactly("Renamed /etc/app/h from /etc/app/f");
  }

  @Test
  void chmodInTheMiddleOfARenameChainIsReportedWithTheRename() throws IOException {
    mv("/etc/app/f", "/etc/app/g");
    chmod600("/etc/app/g");
    mv("/etc/app/g", "/etc/app/h");
    List<FimEvent> ev = awaitEvent(is(ChangeType.Renamed, "/etc/app/h"));
    assertThat(ev)
        .extracting(RealtimeHarness::brief)
        .containsExactly("Modified /etc/app/f", "Renamed /etc/app/h from /etc/app/f");
    assertThat(ev.get(0).getFieldsChanged()).containsExactly(FieldChanged.Permissions);
  }

  @Test
  void renameThereAndBackIsNothing() throws IOException {
    mv("/etc/app/f", "/etc/app/g");
    mv("/etc/app/g", "/etc/app/f");
    fx.write("/etc/app/marker", "m"); // after the round trip, so its event comes after
    List<FimEvent> ev = awaitEvent(is(ChangeType.Created, "/etc/app/marker"));
    assertThat(ev).extracting(RealtimeHarness::brief).containsExactly("Created /etc/app/marker");
  }

  @Test
  void aNewFileUnderTheOldNameRightAfterTheRenameIsCreated() throws IOException {
    mv("/etc/app/f", "/etc/app/g");
    fx.write("/etc/app/f", "new\n");
    List<FimEvent> ev = awaitEvent(is(ChangeType.Created, "/etc/app/f"));
    assertThat(ev)
        .extracting(RealtimeHarness::brief)
        .containsExactly("Renamed /etc/app/g from /etc/app/f", "Created /etc/app/f");
  }

  @Test
  void writeInADirectoryThenRenamingItRenamesAndReportsTheWrite() throws IOException {
    append("/etc/app/d/x", "more\n");
    pause();
    mv("/etc/app/d", "/etc/app/e");
    List<FimEvent> ev = awaitEvent(is(ChangeType.Renamed, "/etc/app/e/x"));
    assertThat(ev)
        .extracting(RealtimeHarness::brief)
        .containsExactly(
            "Renamed /etc/app/e from /etc/app/d",
            "Modified /etc/app/d/x",
            "Renamed /etc/app/e/x from /etc/app/d/x");
    assertThat(ev.get(1).getFieldsChanged())
        .containsExactlyInAnyOrder(FieldChanged.Content, FieldChanged.Size);
  }
}
