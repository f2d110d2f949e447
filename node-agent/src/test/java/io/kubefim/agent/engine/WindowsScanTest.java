package io.kubefim.agent.engine;

import static io.kubefim.agent.Fixture.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.WindowsConfigs;
import io.kubefim.agent.config.RuleSet;
import io.kubefim.agent.scan.FileObserver;
import io.kubefim.agent.scan.HostFs;
import io.kubefim.agent.scan.Observers;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FieldChanged;
import io.kubefim.api.event.FileType;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.DosFileAttributeView;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Windows node's config scanned on Linux (issue 15): the host root holds {@code C:/Windows/...}
 * as a Windows node's C:\ would, the portable observer reads it, and events carry Windows paths.
 */
class WindowsScanTest {
  @TempDir Path tmp;
  Fixture fx;

  @BeforeEach
  void setUp() throws IOException {
    fx = new Fixture(tmp);
    fx.write("/C:/Windows/win.ini", "[fonts]\n");
    fx.write("/C:/Windows/system.ini", "[drivers]\n");
    fx.write("/C:/Windows/System32/userinit.exe", "MZ");
    fx.write("/C:/Windows/notepad.exe", "not monitored");
  }

  @AfterEach
  void tearDown() throws IOException {
    fx.close();
  }

  ScanEngine engine(AgentConfig config, FileObserver observer) {
    RuleSet rules = new RuleSet(config);
    return new ScanEngine(
        rules,
        new HostFs(fx.hostRoot, rules.roots()),
        fx.store,
        new StoreChangeWriter(fx.store, e -> {}),
        new EventFactory("win-1", Clock.systemUTC()),
        observer,
        fx.pool);
  }

  List<FimEvent> scan(ScanEngine e) throws IOException {
    e.fullScan(DetectionSource.Scan);
    List<FimEvent> out = fx.drain();
    out.sort(Comparator.comparing(ev -> ev.getChangeType().name()));
    return out;
  }

  @Test
  void theRecommendedWindowsPolicyBaselinesThenReportsChangesWithWindowsPaths() throws Exception {
    ScanEngine e = engine(WindowsConfigs.recommended("win-1"), Observers.portable());
    assertThat(scan(e))
        .extracting(FimEvent::getChangeType)
        .containsExactly(ChangeType.BaselineCreated);
    assertThat(fx.store.entryCount()).isEqualTo(3); // the files there; notepad.exe not monitored
    assertThat(fx.store.get("/C:/Windows/win.ini")).isNotNull();

    fx.write("/C:/Windows/win.ini", "[fonts]\n[extensions]\n");
    fx.write("/C:/boot.ini", "[boot loader]\n");
    Files.delete(fx.p("/C:/Windows/system.ini"));
    fx.write("/C:/Windows/notepad.exe", "still not monitored");
    List<FimEvent> events = scan(e);

    assertThat(events)
        .extracting(FimEvent::getChangeType, FimEvent::getFilePath, FimEvent::getFileName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ChangeType.Created, "C:\\boot.ini", "boot.ini"),
            org.assertj.core.groups.Tuple.tuple(
                ChangeType.Deleted, "C:\\Windows\\system.ini", "system.ini"),
            org.assertj.core.groups.Tuple.tuple(
                ChangeType.Modified, "C:\\Windows\\win.ini", "win.ini"));
    String owner = Files.getOwner(fx.p("/C:/boot.ini"), LinkOption.NOFOLLOW_LINKS).getName();
    FimEvent created = events.get(0);
    assertThat(created.getFileOwner()).isEqualTo(owner);
    assertThat(created.getFileGroup()).isNull();
    assertThat(created.getFileSha256()).hasSize(64);
    assertThat(created.getPolicyNames()).containsExactly("windows-recommended");
    assertThat(created.getTags()).containsEntry("baseline", "defender-recommended");
    FimEvent modified = events.get(2);
    assertThat(modified.getFieldsChanged()).contains(FieldChanged.Content, FieldChanged.Size);
    assertThat(modified.getFileOwner()).isEqualTo(owner);
    assertThat(modified.getPreviousFileOwner()).isNull(); // the baseline keeps no names
    assertThat(modified.getPreviousFileSha256()).hasSize(64).isNotEqualTo(modified.getFileSha256());
    assertThat(events.get(1).getPreviousFileSize()).isEqualTo(10);

    assertThat(scan(e)).isEmpty(); // owner, mode and times read back equal from the baseline
  }

  @Test
  void aChangeOfDosAttributesIsAPermissionsChange() throws Exception {
    ScanEngine e = engine(Fixture.config(rule("C:\\Windows\\win.ini")), Observers.portable());
    scan(e);
    DosFileAttributeView dos =
        Files.getFileAttributeView(fx.p("/C:/Windows/win.ini"), DosFileAttributeView.class);
    try {
      dos.setHidden(true);
    } catch (IOException | UnsupportedOperationException ex) {
      System.out.println("WindowsScanTest: no DOS attributes on " + tmp + " (" + ex + "), skipped");
      org.junit.jupiter.api.Assumptions.assumeTrue(false, ex.toString());
    }
    List<FimEvent> events = scan(e);
    assertThat(events).hasSize(1);
    FimEvent ev = events.get(0);
    assertThat(ev.getChangeType()).isEqualTo(ChangeType.Modified);
    assertThat(ev.getFieldsChanged()).containsExactly(FieldChanged.Permissions);
    assertThat(ev.getPreviousFileMode()).isEqualTo("------");
    assertThat(ev.getFileMode()).isEqualTo("---h--");
  }

  @Test
  void aWindowsGlobWithOtherCaseSelectsTheFilesAsWindowsWould() throws Exception {
    ScanEngine e = engine(Fixture.config(rule("C:\\Windows\\*.INI")), Observers.portable());
    scan(e);
    assertThat(fx.store.get("/C:/Windows/win.ini")).isNotNull();
    assertThat(fx.store.get("/C:/Windows/system.ini")).isNotNull();
    assertThat(fx.store.get("/C:/Windows/notepad.exe")).isNull();
    fx.write("/C:/Windows/NEW.Ini", "x");
    assertThat(scan(e))
        .extracting(FimEvent::getChangeType, FimEvent::getFilePath)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ChangeType.Created, "C:\\Windows\\NEW.Ini"));
  }

  @Test
  void aSymlinkUnderAWindowsRuleIsRecordedNotFollowed() throws Exception {
    ScanEngine e = engine(Fixture.config(rule("C:\\Windows")), Observers.portable());
    scan(e);
    Files.createSymbolicLink(fx.p("/C:/Windows/link.ini"), Path.of("win.ini"));
    List<FimEvent> events = scan(e);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getFileType()).isEqualTo(FileType.Symlink);
    assertThat(events.get(0).getSymlinkTarget()).isEqualTo("win.ini");
    assertThat(events.get(0).getFileSha256()).isNull();
    assertThat(events.get(0).getFilePath()).isEqualTo("C:\\Windows\\link.ini");
  }

  @Test
  void withTheLinuxObserverTheColumnsAreLinuxOnesAndThePathsStillWindows() throws Exception {
    ScanEngine e = engine(Fixture.config(rule("C:\\Windows\\win.ini")), new FileObserver());
    scan(e);
    fx.write("/C:/Windows/win.ini", "changed");
    FimEvent ev = scan(e).get(0);
    assertThat(ev.getFilePath()).isEqualTo("C:\\Windows\\win.ini");
    assertThat(ev.getFileMode()).matches("0[0-7]{3}");
    assertThat(ev.getFileOwner()).matches("[0-9]+");
  }
}
