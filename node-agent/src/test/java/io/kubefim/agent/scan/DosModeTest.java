package io.kubefim.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.event.FileType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How Windows' attributes, owner and group sit in FileState and show in events (issue 15). */
class DosModeTest {
  @ParameterizedTest(name = "{0} {1} = {2}")
  @CsvSource({
    "File, 0, ------",
    "File, 32, -a----",
    "File, 33, -ar---",
    "File, 39, -arhs-",
    "Directory, 16, d-----",
    "Directory, 6, d--hs-",
    "Symlink, 32, -a---l",
    "Other, 2, ---h--",
  })
  void modeShowsAsPowerShellsModeColumn(FileType type, int bits, String shown) {
    FileState s = FileState.metadata(type, 0, DosMode.MARK | bits, 1, 0, 0, 0, 0, null, "X");
    assertThat(s.modeString()).isEqualTo(shown);
  }

  @Test
  void unknownAttributesShowNoMode() {
    FileState s =
        FileState.metadata(
            FileType.File, 0, DosMode.MARK | DosMode.UNKNOWN, 1, 0, 0, 0, 0, null, null);
    assertThat(s.modeString()).isNull();
  }

  @Test
  void linuxStatesShowAsBefore() {
    FileState s = FileState.metadata(FileType.File, 0, 0644, 1000, 100, 0, 0, 0, null);
    assertThat(s.modeString()).isEqualTo("0644");
    assertThat(s.ownerString()).isEqualTo("1000");
    assertThat(s.groupString()).isEqualTo("100");
    assertThat(DosMode.isDos(07777)).isFalse();
  }

  @Test
  void theOwnerIdIsStableAndTheNameRidesAlongWithoutChangingEquality() {
    int id = DosMode.ownerId("BUILTIN\\Administrators");
    assertThat(id).isEqualTo(DosMode.ownerId("BUILTIN\\Administrators"));
    assertThat(id).isNotEqualTo(DosMode.ownerId("NT AUTHORITY\\SYSTEM"));
    assertThat(DosMode.ownerId(null)).isZero();
    FileState observed =
        FileState.metadata(
            FileType.File, 1, DosMode.MARK, id, 0, 0, 5, 6, null, "BUILTIN\\Administrators");
    FileState fromBaseline =
        FileState.metadata(FileType.File, 1, DosMode.MARK, id, 0, 0, 5, 6, null);
    assertThat(observed).isEqualTo(fromBaseline).hasSameHashCodeAs(fromBaseline);
    assertThat(observed.differsFrom(fromBaseline)).isFalse();
    assertThat(observed.ownerString()).isEqualTo("BUILTIN\\Administrators");
    assertThat(fromBaseline.ownerString()).isNull();
    assertThat(observed.withHashes("a", null, null).owner()).isEqualTo("BUILTIN\\Administrators");
  }
}
