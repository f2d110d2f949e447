package io.kubefim.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.agent.config.Selection;
import io.kubefim.agent.scan.DosMode;
import io.kubefim.agent.scan.FileState;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FileType;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.policy.Attribute;
import io.kubefim.api.policy.HashAlgorithm;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The columns of Windows file events (issue 15), and Linux ones left as they were. */
class EventFactoryWindowsTest {
  final EventFactory events = new EventFactory("n", Clock.systemUTC());

  static Selection selection(boolean windows) {
    return new Selection(
        EnumSet.allOf(Attribute.class),
        EnumSet.of(HashAlgorithm.SHA256),
        1 << 20,
        true,
        0,
        List.of("p"),
        Map.of(),
        false,
        windows);
  }

  static FileState dos(int bits, String owner) {
    return FileState.metadata(
        FileType.File,
        5,
        DosMode.MARK | bits,
        owner == null ? 7 : owner.hashCode(),
        0,
        0,
        1,
        2,
        null,
        owner);
  }

  @Test
  void aWindowsRenameShowsWindowsPathsModeLettersAndTheOwnersName() {
    FimEvent e =
        events.file(
            ChangeType.Renamed,
            "/C:/Windows/win.ini",
            "/C:/Windows/win.old",
            null,
            dos(0x20, null),
            dos(0x21, "BUILTIN\\Administrators"),
            selection(true),
            DetectionSource.Realtime,
            null);
    assertThat(e.getFilePath()).isEqualTo("C:\\Windows\\win.ini");
    assertThat(e.getFileName()).isEqualTo("win.ini");
    assertThat(e.getOriginalFilePath()).isEqualTo("C:\\Windows\\win.old");
    assertThat(e.getOriginalFileName()).isEqualTo("win.old");
    assertThat(e.getFileMode()).isEqualTo("-ar---");
    assertThat(e.getPreviousFileMode()).isEqualTo("-a----");
    assertThat(e.getFileOwner()).isEqualTo("BUILTIN\\Administrators");
    assertThat(e.getPreviousFileOwner()).isNull();
    assertThat(e.getFileGroup()).isNull();
    assertThat(e.getPreviousFileGroup()).isNull();
  }

  @Test
  void aLinuxPathThatLooksLikeADriveStaysALinuxPath() {
    FileState st = FileState.metadata(FileType.File, 5, 0640, 1000, 1001, 9, 1, 2, null);
    FimEvent e =
        events.file(
            ChangeType.Created,
            "/C:/x",
            null,
            null,
            null,
            st,
            selection(false),
            DetectionSource.Scan,
            null);
    assertThat(e.getFilePath()).isEqualTo("/C:/x");
    assertThat(e.getFileName()).isEqualTo("x");
    assertThat(e.getFileMode()).isEqualTo("0640");
    assertThat(e.getFileOwner()).isEqualTo("1000");
    assertThat(e.getFileGroup()).isEqualTo("1001");
  }
}
