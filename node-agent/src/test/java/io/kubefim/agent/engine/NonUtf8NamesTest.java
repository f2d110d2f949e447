package io.kubefim.agent.engine;

import static io.kubefim.agent.Fixture.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.RawNames;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FieldChanged;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names that are not valid UTF-8 (issue 11, item 9) on a real file system: {@code bad\xff} and
 * {@code bad\xfe} are two files, not one key, and each is reported under its own lossless name.
 */
class NonUtf8NamesTest {
  @TempDir Path tmp;
  Fixture fx;
  Path app;
  ScanEngine engine;

  @BeforeEach
  void setUp() throws IOException {
    fx = new Fixture(tmp);
    app = fx.p("/etc/app");
    RawNames.write(app, "bad%FF", "ff");
    RawNames.write(app, "bad%FE", "fe");
    RawNames.write(app, "caf%C3%A9", "cafe");
    RawNames.write(app, "back%5Cxff", "literal backslash");
    RawNames.write(RawNames.at(app, "dir%FD"), "in%FF", "inside");
    Files.writeString(app.resolve("plain"), "p");
    engine = fx.engine(rule("/etc/app"));
    engine.fullScan(DetectionSource.Scan);
    assertThat(fx.drain())
        .extracting(FimEvent::getChangeType)
        .containsExactly(ChangeType.BaselineCreated);
  }

  @AfterEach
  void tearDown() throws IOException {
    fx.close();
  }

  List<FimEvent> rescan() throws IOException {
    engine.fullScan(DetectionSource.Scan);
    return fx.drain();
  }

  @Test
  void everyNameIsItsOwnBaselineEntryAndAnUnchangedTreeReportsNothing() throws IOException {
    // the root, six names, and the file inside dir\xfd
    assertThat(fx.store.entryCount()).isEqualTo(8);
    assertThat(fx.store.children("/etc/app").keySet())
        .containsExactlyInAnyOrder(
            "/etc/app/bad\\xff",
            "/etc/app/bad\\xfe",
            "/etc/app/café",
            "/etc/app/back\\x5cxff",
            "/etc/app/dir\\xfd",
            "/etc/app/plain");
    assertThat(rescan()).isEmpty();
    assertThat(rescan()).isEmpty();
  }

  @Test
  void aChangeToOneIsModifiedOfThatOneOnly() throws IOException {
    Files.writeString(RawNames.at(app, "bad%FF"), "changed");
    FimEvent ev = only(rescan());
    assertThat(ev.getChangeType()).isEqualTo(ChangeType.Modified);
    assertThat(ev.getFilePath()).isEqualTo("/etc/app/bad\\xff");
    assertThat(ev.getFileName()).isEqualTo("bad\\xff");
    assertThat(ev.getFieldsChanged()).contains(FieldChanged.Content);

    Files.writeString(RawNames.at(RawNames.at(app, "dir%FD"), "in%FF"), "changed too");
    ev = only(rescan());
    assertThat(ev.getFilePath()).isEqualTo("/etc/app/dir\\xfd/in\\xff");

    Files.writeString(RawNames.at(app, "back%5Cxff"), "changed");
    assertThat(only(rescan()).getFilePath()).isEqualTo("/etc/app/back\\x5cxff");
    assertThat(rescan()).isEmpty();
  }

  @Test
  void deletedCreatedAndRenamedNamesAreReportedLosslessly() throws IOException {
    Files.delete(RawNames.at(app, "caf%C3%A9"));
    Files.delete(RawNames.at(app, "bad%FE"));
    RawNames.write(app, "new%80", "n");
    List<FimEvent> events = rescan();
    assertThat(events)
        .extracting(e -> e.getChangeType() + " " + e.getFilePath())
        .containsExactlyInAnyOrder(
            "Deleted /etc/app/café", "Deleted /etc/app/bad\\xfe", "Created /etc/app/new\\x80");

    // the realtime path: a rename reconciled by name, then a burst of single paths
    Files.move(RawNames.at(app, "new%80"), RawNames.at(app, "moved%81"));
    engine.reconcileRename("/etc/app/new\\x80", "/etc/app/moved\\x81", DetectionSource.Realtime);
    FimEvent ev = only(fx.drain());
    assertThat(ev.getChangeType()).isEqualTo(ChangeType.Renamed);
    assertThat(ev.getFilePath()).isEqualTo("/etc/app/moved\\x81");
    assertThat(ev.getOriginalFilePath()).isEqualTo("/etc/app/new\\x80");
    assertThat(ev.getOriginalFileName()).isEqualTo("new\\x80");

    Files.writeString(RawNames.at(app, "bad%FF"), "rt");
    engine.reconcilePaths(Set.of("/etc/app/bad\\xff"), DetectionSource.Realtime);
    ev = only(fx.drain());
    assertThat(ev.getChangeType()).isEqualTo(ChangeType.Modified);
    assertThat(ev.getFilePath()).isEqualTo("/etc/app/bad\\xff");
    assertThat(rescan()).isEmpty();
  }

  @Test
  void aSymlinkTargetThatIsNotUtf8IsComparedByItsBytes() throws IOException {
    Path link = app.resolve("link");
    Files.createSymbolicLink(link, RawNames.at(app, "bad%FF").getFileName());
    rescan();
    Files.delete(link);
    Files.createSymbolicLink(link, RawNames.at(app, "bad%FE").getFileName());
    FimEvent ev = only(rescan());
    assertThat(ev.getFieldsChanged()).containsExactly(FieldChanged.SymlinkTarget);
    assertThat(ev.getSymlinkTarget()).isEqualTo("bad\\xfe");
    assertThat(ev.getPreviousSymlinkTarget()).isEqualTo("bad\\xff");
  }

  /** A policy names such a file by its rendered form, the backslash escaped as in any pattern. */
  @Test
  void aRuleNamesSuchAFileByItsRenderedForm() throws IOException {
    fx.close();
    fx = new Fixture(tmp.resolve("second"));
    RawNames.write(fx.p("/etc/app"), "bad%FF", "ff");
    RawNames.write(fx.p("/etc/app"), "bad%FE", "fe");
    engine = fx.engine(rule("/etc/app/bad\\\\xff"));
    engine.fullScan(DetectionSource.Scan);
    fx.drain();
    assertThat(fx.store.entryCount()).isEqualTo(1);
    assertThat(fx.store.get("/etc/app/bad\\xff")).isNotNull();
    Files.writeString(RawNames.at(fx.p("/etc/app"), "bad%FF"), "changed");
    Files.writeString(RawNames.at(fx.p("/etc/app"), "bad%FE"), "not monitored");
    assertThat(only(rescan()).getFilePath()).isEqualTo("/etc/app/bad\\xff");
  }

  static FimEvent only(List<FimEvent> events) {
    assertThat(events).hasSize(1);
    return events.get(0);
  }
}
