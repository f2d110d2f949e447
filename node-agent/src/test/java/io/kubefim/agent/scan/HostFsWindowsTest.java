package io.kubefim.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where slash-form Windows paths are read (issue 15): under a host root on Linux, at the drive on
 * Windows (the mapping functions, run here); names as UTF-16 strings there.
 */
class HostFsWindowsTest {
  @TempDir Path tmp;

  @Test
  void underAHostRootADriveIsADirectoryNamedWithItsColon() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host"));
    Files.createDirectories(host.resolve("C:/Windows"));
    Files.createDirectories(host.resolve("C:/Users"));
    Files.createSymbolicLink(host.resolve("C:/Documents and Settings"), Path.of("Users"));
    HostFs fs =
        new HostFs(host, List.of("/C:/Windows/win.ini", "/C:/Documents and Settings/a"), false);
    assertThat(fs.toReal("/C:/Windows/win.ini")).isEqualTo(host.resolve("C:/Windows/win.ini"));
    assertThat(fs.toReal("/C:")).isEqualTo(host.resolve("C:"));
    // a symlinked rule root is resolved under the host root, reported as written
    assertThat(fs.toReal("/C:/Documents and Settings/a/x")).isEqualTo(host.resolve("C:/Users/a/x"));
    assertThat(fs.hostPathsOf(host.resolve("C:/Users/a/x").toString()))
        .containsExactly("/C:/Users/a/x", "/C:/Documents and Settings/a/x");
  }

  @ParameterizedTest(name = "{1} under {0}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/|/C:/Windows/win.ini|C:\\Windows\\win.ini",
        "/|/C:|C:\\",
        "/|/d:/Data/x|d:\\Data\\x",
        "/mnt/disk|/C:/Windows/win.ini|/mnt/disk/C/Windows/win.ini",
        "/mnt/disk|/C:|/mnt/disk/C",
      })
  void onWindowsADrivePathIsReadAtTheDrive(String root, String host, String real) {
    assertThat(HostFs.windowsReal(Path.of(root), host).toString()).isEqualTo(real);
  }

  @ParameterizedTest(name = "{1} under {0}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/|C:\\Windows\\win.ini|/C:/Windows/win.ini",
        "/|c:\\|/C:",
        "/|\\\\?\\Volume\\x|",
        "/mnt/disk|/mnt/disk\\C\\Windows\\win.ini|/C:/Windows/win.ini",
        "/mnt/disk|/mnt/disk\\C|/C:",
        "/mnt/disk|/mnt/other\\C\\x|",
        "/mnt/disk|/mnt/disk\\CC\\x|",
      })
  void onWindowsARealPathIsMappedBackToSlashForm(String root, String real, String host) {
    assertThat(HostFs.windowsHostPath(Path.of(root), real)).isEqualTo(host);
  }

  @Test
  void namesAreTheJdksStringsWhereTheyAreUtf16() {
    Path p = Path.of("/x", "back\\xff");
    assertThat(RawPaths.name(p, true)).isEqualTo("back\\xff");
    assertThat(RawPaths.name(p, false)).isEqualTo("back\\x5cxff"); // Linux: escaped as before
    assertThat(RawPaths.render(Path.of("..", "a\\xfe"), true)).isEqualTo("../a\\xfe");
    assertThat(RawPaths.resolve(Path.of("/r"), "C:/Windows/x\\xff", true))
        .isEqualTo(Path.of("/r").resolve("C:/Windows/x\\xff"));
    assertThat(RawPaths.UTF16_NAMES).isFalse(); // on this machine
  }
}
