package io.kubefim.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.RawNames;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Realtime detection of names that are not valid UTF-8 (issue 11, item 9) with real inotify: the
 * name bytes inotify reports render as the scan renders them, and a directory with such a name is
 * watched by its bytes. {@link WatchServiceNonUtf8NamesRealtimeIT} runs the same tests on the JDK's
 * WatchService (the names it reports are Paths with the same bytes).
 */
class NonUtf8NamesRealtimeIT {
  @TempDir Path tmp;
  Fixture fx;
  RealtimeHarness rt;
  Path app;

  @BeforeEach
  void setUp() throws IOException {
    fx = new Fixture(tmp);
    app = fx.p("/etc/app");
    RawNames.write(app, "bad%FF", "ff");
    RawNames.write(app, "bad%FE", "fe");
    RawNames.write(app, "caf%C3%A9", "cafe");
    RawNames.write(RawNames.at(app, "dir%FD"), "in", "inside");
    rt = new RealtimeHarness(fx, backend(), Fixture.rule("/etc/app"));
    assertThat(rt.events())
        .extracting(FimEvent::getChangeType)
        .contains(ChangeType.BaselineCreated);
    assertThat(rt.fileEvents()).isEmpty();
    rt.seen.clear();
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

  /** Waits until the file events are exactly {@code expected} ("ChangeType FilePath"), settled. */
  void expect(String... expected) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> rendered(rt.fileEvents()).containsAll(List.of(expected)));
    await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(rendered(rt.fileEvents())).containsExactlyInAnyOrder(expected);
    assertThat(rt.fileEvents())
        .allSatisfy(e -> assertThat(e.getDetectionSource()).isEqualTo(DetectionSource.Realtime));
    rt.seen.clear();
  }

  static List<String> rendered(List<FimEvent> events) {
    return events.stream().map(e -> e.getChangeType() + " " + e.getFilePath()).toList();
  }

  @Test
  void aWriteIsModifiedOfThatNameAndACreateIsCreatedUnderItsName() throws IOException {
    Files.writeString(RawNames.at(app, "bad%FF"), "written");
    expect("Modified /etc/app/bad\\xff");

    Files.writeString(RawNames.at(app, "caf%C3%A9"), "written");
    expect("Modified /etc/app/café");

    RawNames.write(app, "new%FE%FF", "n");
    expect("Created /etc/app/new\\xfe\\xff");
    assertThat(rt.fileEvents()).isEmpty();
  }

  @Test
  void aDirectoryWithSuchANameIsWatched() throws IOException {
    Path dir = RawNames.at(app, "dir%FD");
    Files.writeString(dir.resolve("in"), "changed");
    expect("Modified /etc/app/dir\\xfd/in");

    Path made = RawNames.at(app, "made%80");
    Files.createDirectory(made);
    expect("Created /etc/app/made\\x80");
    RawNames.write(made, "f%81", "x"); // needs the watch placed on the new directory by its bytes
    expect("Created /etc/app/made\\x80/f\\x81");
  }
}
