package io.kubefim.agent.engine;

import static io.kubefim.agent.Fixture.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.scan.FileObserver;
import io.kubefim.agent.scan.FileState;
import io.kubefim.agent.scan.ReadBudget;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.EntityType;
import io.kubefim.api.event.FieldChanged;
import io.kubefim.api.event.FileType;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.policy.HashAlgorithm;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scan-side detection, each rule of SPEC §5 on real files in a temporary host root. */
class ScanEngineTest {
  @TempDir Path tmp;
  Fixture fx;

  @BeforeEach
  void setUp() throws IOException {
    fx = new Fixture(tmp);
  }

  @AfterEach
  void tearDown() throws IOException {
    fx.close();
  }

  /** Creates the baseline with {@code rules} and returns an engine for the next scans. */
  ScanEngine baselined(AgentRule... rules) throws IOException {
    ScanEngine e = fx.engine(rules);
    e.fullScan(DetectionSource.Scan);
    assertThat(fx.drain())
        .extracting(FimEvent::getChangeType)
        .containsExactly(ChangeType.BaselineCreated);
    return e;
  }

  List<FimEvent> rescan(ScanEngine e) throws IOException {
    e.fullScan(DetectionSource.Scan);
    return fx.drain();
  }

  static FimEvent only(List<FimEvent> events) {
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  @Test
  void firstScanCreatesBaselineWithOneEvent() throws IOException {
    for (int i = 0; i < 20; i++) {
      fx.write("/etc/app/f" + i, "x" + i);
    }
    ScanEngine e = fx.engine(rule("/etc/app"));
    e.fullScan(DetectionSource.Scan);
    FimEvent ev = only(fx.drain());
    assertThat(ev.getChangeType()).isEqualTo(ChangeType.BaselineCreated);
    assertThat(ev.getMonitoredEntityType()).isEqualTo(EntityType.Agent);
    assertThat(ev.getComputer()).isEqualTo("node-a");
    assertThat(fx.store.entryCount()).isEqualTo(21); // the directory and its files
    assertThat(rescan(e)).isEmpty();
  }

  /**
   * Enough files for several batches (each hashed while the next is walked and the one before is
   * written) across many directories (listed ahead of the walk): every change in every batch is
   * found once, and a directory removed whole is found from the baseline's parent index.
   */
  @Test
  void changesAcrossManyBatchesAndDirectoriesAreEachFoundOnce() throws IOException {
    int dirs = 60;
    int perDir = 150; // 9,000 files: more than two batches of 4,096
    for (int d = 0; d < dirs; d++) {
      for (int f = 0; f < perDir; f++) {
        fx.write("/srv/d" + d + "/f" + f, "v1-" + d + "-" + f);
      }
    }
    ScanEngine e = baselined(rule("/srv"));
    assertThat(fx.store.entryCount()).isEqualTo(1 + dirs + (long) dirs * perDir);

    Set<String> modified = new java.util.TreeSet<>();
    for (int d = 0; d < dirs; d += 7) {
      String path = "/srv/d" + d + "/f" + (d * 13 % perDir);
      fx.write(path, "v2, longer than before");
      modified.add(path);
    }
    fx.write("/srv/d59/new", "n");
    Path gone = fx.p("/srv/d30");
    try (var files = Files.list(gone)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(gone);

    List<FimEvent> events = rescan(e);

    assertThat(
            events.stream()
                .filter(ev -> ev.getChangeType() == ChangeType.Modified)
                .map(FimEvent::getFilePath))
        .containsExactlyInAnyOrderElementsOf(modified);
    assertThat(
            events.stream()
                .filter(ev -> ev.getChangeType() == ChangeType.Created)
                .map(FimEvent::getFilePath))
        .containsExactly("/srv/d59/new");
    assertThat(
            events.stream()
                .filter(ev -> ev.getChangeType() == ChangeType.Deleted)
                .map(FimEvent::getFilePath))
        .hasSize(perDir + 1)
        .contains("/srv/d30", "/srv/d30/f0", "/srv/d30/f" + (perDir - 1));
    assertThat(events).hasSize(modified.size() + 1 + perDir + 1);
    assertThat(rescan(e)).isEmpty();
    assertThat(fx.store.entryCount()).isEqualTo(1 + dirs + (long) dirs * perDir - perDir);
  }

  @Test
  void createdFile() throws IOException {
    fx.write("/etc/app/a", "a");
    ScanEngine e = baselined(rule("/etc/app"));
    fx.write("/etc/app/b", "hello");
    FimEvent ev = only(rescan(e));
    assertThat(ev.getChangeType()).isEqualTo(ChangeType.Created);
    assertThat(ev.getFilePath()).isEqualTo("/etc/app/b");
    assertThat(ev.getFileName()).isEqualTo("b");
    assertThat(ev.getFileType()).isEqualTo(FileType.File);
    assertThat(ev.getFileSize()).isEqualTo(5);
    assertThat(ev.getFileSha256())
        .isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    assertThat(ev.getDetectionSource()).isEqualTo(DetectionSource.Scan);
    assertThat(ev.getPolicyNames()).containsExactly("test-policy");
    assertThat(ev.getTags()).containsEntry("env", "test");
    assertThat(ev.getEventId()).hasSize(36);
  }

  @Test
  void modifiedContent() throws IOException {
    fx.write("/etc/app/a", "one");
    ScanEngine e = baselined(rule("/etc/app"));
    fx.write("/etc/app/a", "two");
    FimEvent ev = only(rescan(e));
    assertThat(ev.getChangeType()).isEqualTo(ChangeType.Modified);
    assertThat(ev.getFieldsChanged()).containsExactly(FieldChanged.Content);
    assertThat(ev.getPreviousFileSha256()).isNotEqualTo(ev.getFileSha256());
  }

  @Test
  void chmodIsPermissionsOnly() throws IOException {
    fx.write("/etc/app/a", "one");
    Files.setPosixFilePermissions(fx.p("/etc/app/a"), PosixFilePermissions.fromString("rw-r--r--"));
    ScanEngine e = baselined(rule("/etc/app"));
    Files.setPosixFilePermissions(fx.p("/etc/app/a"), PosixFilePermissions.fromString("rwx------"));
    FimEvent ev = only(rescan(e));
    assertThat(ev.getFieldsChanged()).containsExactly(FieldChanged.Permissions);
    assertThat(ev.getFileMode()).isEqualTo("0700");
    assertThat(ev.getPreviousFileMode()).isEqualTo("0644");
  }

  @Test
  void chownIsOwnerAndGroup() throws IOException {
    fx.write("/etc/app/a", "one");
    ScanEngine e = baselined(rule("/etc/app"));
    int uid = (Integer) Files.getAttribute(fx.p("/etc/app/a"), "unix:uid");
    org.junit.jupiter.api.Assumptions.assumeTrue(uid == 0, "chown needs root");
    Files.setAttribute(fx.p("/etc/app/a"), "unix:uid", 1234);
    Files.setAttribute(fx.p("/etc/app/a"), "unix:gid", 4321);
    FimEvent ev = only(rescan(e));
    assertThat(ev.getFieldsChanged()).containsExactly(FieldChanged.Owner, FieldChanged.Group);
    assertThat(ev.getFileOwner()).isEqualTo("1234");
    assertThat(ev.getPreviousFileOwner()).isEqualTo("0");
    assertThat(ev.getFileGroup()).isEqualTo("4321");
  }

  @Test
  void mtimeAloneIsNotAnEvent() throws IOException {
    fx.write("/etc/app/a", "one");
    ScanEngine e = baselined(rule("/etc/app"));
    Files.setLastModifiedTime(
        fx.p("/etc/app/a"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
    assertThat(rescan(e)).isEmpty();
  }

  @Test
  void deletedFileAndDirectorySubtree() throws IOException {
    fx.write("/etc/app/a", "one");
    fx.write("/etc/app/sub/deep/b", "two");
    ScanEngine e = baselined(rule("/etc/app"));
    Files.delete(fx.p("/etc/app/a"));
    Files.delete(fx.p("/etc/app/sub/deep/b"));
    Files.delete(fx.p("/etc/app/sub/deep"));
    Files.delete(fx.p("/etc/app/sub"));
    List<FimEvent> ev = rescan(e);
    assertThat(ev).allMatch(x -> x.getChangeType() == ChangeType.Deleted);
    assertThat(ev)
        .extracting(FimEvent::getFilePath)
        .containsExactlyInAnyOrder(
            "/etc/app/a", "/etc/app/sub", "/etc/app/sub/deep", "/etc/app/sub/deep/b");
    assertThat(fx.store.entryCount()).isEqualTo(1);
    assertThat(rescan(e)).isEmpty();
  }

  @Test
  void symlinkRetarget() throws IOException {
    Files.createDirectories(fx.p("/etc/app"));
    Files.createSymbolicLink(fx.p("/etc/app/link"), Path.of("one"));
    ScanEngine e = baselined(rule("/etc/app"));
    Files.delete(fx.p("/etc/app/link"));
    Files.createSymbolicLink(fx.p("/etc/app/link"), Path.of("two"));
    FimEvent ev = only(rescan(e));
    assertThat(ev.getFileType()).isEqualTo(FileType.Symlink);
    assertThat(ev.getFieldsChanged()).containsExactly(FieldChanged.SymlinkTarget);
    assertThat(ev.getSymlinkTarget()).isEqualTo("two");
    assertThat(ev.getPreviousSymlinkTarget()).isEqualTo("one");
  }

  @Test
  void includeAndExclude() throws IOException {
    Files.createDirectories(fx.p("/etc/app"));
    ScanEngine e =
        baselined(
            Fixture.rule("/etc/app", true, List.of("*.conf"), List.of("skip*", "cache"), 1 << 20));
    fx.write("/etc/app/a.conf", "1");
    fx.write("/etc/app/a.txt", "1");
    fx.write("/etc/app/skip.conf", "1");
    fx.write("/etc/app/cache/x.conf", "1");
    fx.write("/etc/app/sub/b.conf", "1");
    assertThat(rescan(e))
        .extracting(FimEvent::getFilePath)
        .containsExactlyInAnyOrder("/etc/app/a.conf", "/etc/app/sub/b.conf");
  }

  @Test
  void globPaths() throws IOException {
    ScanEngine e =
        baselined(
            rule("/etc/*.conf"), Fixture.rule("/etc/cron.*", true, List.of(), List.of(), 1 << 20));
    fx.write("/etc/a.conf", "1");
    fx.write("/etc/b.txt", "1");
    fx.write("/etc/sub/c.conf", "1");
    fx.write("/etc/cron.daily/job", "1");
    assertThat(rescan(e))
        .extracting(FimEvent::getFilePath)
        .containsExactlyInAnyOrder("/etc/a.conf", "/etc/cron.daily", "/etc/cron.daily/job");
  }

  @Test
  void fileOverMaxFileSizeIsMetadataOnly() throws IOException {
    Files.createDirectories(fx.p("/data"));
    ScanEngine e = baselined(Fixture.rule("/data", true, List.of(), List.of(), 10));
    fx.write("/data/big", "0123456789ABCDEF");
    FimEvent ev = only(rescan(e));
    assertThat(ev.getChangeType()).isEqualTo(ChangeType.Created);
    assertThat(ev.getFileSha256()).isNull();
    assertThat(ev.getErrorMessage()).contains("maxFileSize");
    fx.write("/data/big", "0123456789ABCDEFG");
    FimEvent mod = only(rescan(e));
    assertThat(mod.getFieldsChanged()).contains(FieldChanged.Size);
  }

  @Test
  void unreadableFileIsAnEventWithErrorAndScanGoesOn() throws IOException {
    fx.write("/etc/app/ok", "1");
    ScanEngine e = baselined(rule("/etc/app"));
    fx.write("/etc/app/secret", "s");
    fx.write("/etc/app/other", "o");
    Files.setPosixFilePermissions(fx.p("/etc/app/secret"), Set.of());
    // As root, mode 000 is still readable: the observer refuses it as a non-root reader would.
    FileObserver denying =
        new FileObserver() {
          @Override
          public FileState hash(
              Path real, FileState st, Set<HashAlgorithm> algos, ReadBudget budget)
              throws IOException {
            if (st.mode() == 0) {
              throw new AccessDeniedException(real.toString());
            }
            return super.hash(real, st, algos, budget);
          }
        };
    e = fx.engine(denying, rule("/etc/app"));
    List<FimEvent> ev = rescan(e);
    assertThat(ev)
        .extracting(FimEvent::getFilePath)
        .containsExactlyInAnyOrder("/etc/app/secret", "/etc/app/other");
    FimEvent secret =
        ev.stream().filter(x -> x.getFileName().equals("secret")).findFirst().orElseThrow();
    assertThat(secret.getChangeType()).isEqualTo(ChangeType.Created);
    assertThat(secret.getErrorMessage()).startsWith("cannot read");
    assertThat(secret.getFileSha256()).isNull();
  }

  @Test
  void restartReportsChangesMadeWhileStopped() throws IOException {
    fx.write("/etc/app/a", "1");
    fx.write("/etc/app/b", "1");
    baselined(rule("/etc/app"));
    fx.reopen();
    fx.write("/etc/app/a", "2");
    Files.delete(fx.p("/etc/app/b"));
    fx.write("/etc/app/c", "3");
    ScanEngine restarted = fx.engine(rule("/etc/app"));
    assertThat(restarted.baselineExists()).isTrue();
    List<FimEvent> ev = rescan(restarted);
    assertThat(ev)
        .extracting(x -> x.getChangeType() + " " + x.getFilePath())
        .containsExactlyInAnyOrder(
            "Modified /etc/app/a", "Deleted /etc/app/b", "Created /etc/app/c");
    assertThat(ev).allMatch(x -> x.getDetectionSource() == DetectionSource.Scan);
  }

  @Test
  void symlinkedRuleRootResolvedUnderHostRootAndReportedAsWritten() throws IOException {
    fx.write("/usr/bin/passwd", "1");
    Files.createSymbolicLink(fx.p("/bin"), Path.of("usr/bin"));
    ScanEngine e = baselined(rule("/bin/passwd"), rule("/sbin-abs"));
    fx.write("/usr/bin/passwd", "2");
    FimEvent ev = only(rescan(e));
    assertThat(ev.getFilePath()).isEqualTo("/bin/passwd");
    assertThat(ev.getChangeType()).isEqualTo(ChangeType.Modified);
  }

  @Test
  void missingRootAppearsLater() throws IOException {
    ScanEngine e = baselined(rule("/opt/app"));
    fx.write("/opt/app/x", "1");
    assertThat(rescan(e))
        .extracting(FimEvent::getFilePath)
        .containsExactlyInAnyOrder("/opt/app", "/opt/app/x");
  }

  @Test
  void nonRecursiveRuleSeesDirectEntriesOnly() throws IOException {
    Files.createDirectories(fx.p("/etc/app"));
    ScanEngine e = baselined(Fixture.rule("/etc/app", false, List.of(), List.of(), 1 << 20));
    fx.write("/etc/app/a", "1");
    fx.write("/etc/app/sub/b", "1");
    assertThat(rescan(e))
        .extracting(FimEvent::getFilePath)
        .containsExactlyInAnyOrder("/etc/app/a", "/etc/app/sub");
  }

  static String brief(FimEvent e) {
    return e.getChangeType()
        + " "
        + e.getFilePath()
        + (e.getOriginalFilePath() == null ? "" : " from " + e.getOriginalFilePath())
        + (e.getFieldsChanged() == null ? "" : " " + e.getFieldsChanged());
  }

  @Test
  void renamedFileThatChangedBeforeTheRenameIsModifiedOfTheOldNameThenRenamed() throws IOException {
    fx.write("/etc/app/f", "v1");
    ScanEngine e = baselined(rule("/etc/app"));
    Files.setPosixFilePermissions(fx.p("/etc/app/f"), PosixFilePermissions.fromString("rw-------"));
    Files.move(fx.p("/etc/app/f"), fx.p("/etc/app/g"));
    e.reconcileRename("/etc/app/f", "/etc/app/g", true, DetectionSource.Realtime);
    List<FimEvent> ev = fx.drain();
    assertThat(ev)
        .extracting(ScanEngineTest::brief)
        .containsExactly("Modified /etc/app/f [Permissions]", "Renamed /etc/app/g from /etc/app/f");
    assertThat(ev.get(0).getFileMode()).isEqualTo("0600");
    assertThat(ev.get(1).getPreviousFileMode()).isEqualTo("0600");
    assertThat(ev.get(1).getFileMode()).isEqualTo("0600");
    assertThat(rescan(e)).isEmpty();
  }

  @Test
  void renamedFileThatChangedAfterTheRenameIsRenamedThenModifiedOfTheNewName() throws IOException {
    fx.write("/etc/app/f", "v1");
    ScanEngine e = baselined(rule("/etc/app"));
    Files.move(fx.p("/etc/app/f"), fx.p("/etc/app/g"));
    fx.write("/etc/app/g", "v2 longer");
    e.reconcileRename("/etc/app/f", "/etc/app/g", false, DetectionSource.Realtime);
    List<FimEvent> ev = fx.drain();
    assertThat(ev)
        .extracting(ScanEngineTest::brief)
        .containsExactly(
            "Renamed /etc/app/g from /etc/app/f", "Modified /etc/app/g [Content, Size]");
    assertThat(ev.get(0).getFileSize()).isEqualTo(2);
    assertThat(ev.get(1).getPreviousFileSha256()).isEqualTo(ev.get(0).getFileSha256());
    assertThat(ev.get(1).getFileSize()).isEqualTo(9);
    assertThat(rescan(e)).isEmpty();
  }

  @Test
  void aFileMadeUnderTheNewNameAfterTheRenamedOneWentIsNoRename() throws IOException {
    fx.write("/etc/app/f", "v1");
    ScanEngine e = baselined(rule("/etc/app"));
    Files.move(fx.p("/etc/app/f"), fx.p("/etc/app/g"));
    Files.createDirectories(fx.p("/outside"));
    Files.move(fx.p("/etc/app/g"), fx.p("/outside/g")); // kept: its inode is not reused
    fx.write("/etc/app/g", "other file");
    e.reconcileRename("/etc/app/f", "/etc/app/g", false, DetectionSource.Realtime);
    assertThat(fx.drain())
        .extracting(ScanEngineTest::brief)
        .containsExactly("Deleted /etc/app/f", "Created /etc/app/g");
  }

  @Test
  void aNewFileUnderTheOldNameDoesNotStopTheRename() throws IOException {
    fx.write("/etc/app/f", "v1");
    ScanEngine e = baselined(rule("/etc/app"));
    Files.move(fx.p("/etc/app/f"), fx.p("/etc/app/g"));
    fx.write("/etc/app/f", "new");
    e.reconcileRename("/etc/app/f", "/etc/app/g", false, DetectionSource.Realtime);
    e.reconcilePaths(List.of("/etc/app/f"), DetectionSource.Realtime);
    assertThat(fx.drain())
        .extracting(ScanEngineTest::brief)
        .containsExactly("Renamed /etc/app/g from /etc/app/f", "Created /etc/app/f");
    assertThat(rescan(e)).isEmpty();
  }
}
