package io.kubefim.api.windows;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WindowsPathsTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "C:\\config.sys;",
        "c:/Windows/win.ini;",
        "C:\\Windows\\System32\\*.exe;",
        "C:\\;",
        "C:;not an absolute Windows path",
        "C:Windows;not an absolute Windows path",
        "Windows\\win.ini;not an absolute Windows path",
        "/etc/passwd;not an absolute Windows path",
        "\\\\server\\share\\x;a UNC or device path",
        "\\\\?\\C:\\x;a UNC or device path",
        "C:\\Windows\\..\\x;has a '..' segment",
        "C:\\a|b;a character Windows does not allow",
      })
  void problems(String path, String problem) {
    var p = WindowsPaths.problem(path, true);
    if (problem == null) {
      assertThat(p).as(path).isEmpty();
    } else {
      assertThat(p).as(path).hasValueSatisfying(m -> assertThat(m).contains(problem));
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "c:\\windows\\win.ini|C:\\Windows|true",
        "C:\\WINDOWS|c:\\windows\\|true",
        "C:\\WindowsApps\\x|C:\\Windows|false",
        "D:\\Windows\\x|C:\\Windows|false",
        "C:/Windows/System32/userinit.exe|C:\\windows\\system32|true",
      })
  void isUnderOnSegmentsWithoutCase(String path, String root, boolean under) {
    assertThat(WindowsPaths.isUnder(path, root)).as(path + " under " + root).isEqualTo(under);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "c:/windows/win.ini|C:\\windows\\win.ini|win.ini",
        "C:\\Windows\\|C:\\Windows|Windows"
      })
  void normalizeAndBaseName(String in, String normalized, String base) {
    assertThat(WindowsPaths.normalize(in)).isEqualTo(normalized);
    assertThat(WindowsPaths.baseName(in)).isEqualTo(base);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"C:\\x\\*.exe|a wildcard", "C:\\x\\a?.exe|a wildcard"})
  void eventsCarryNoWildcards(String path, String problem) {
    assertThat(WindowsPaths.problem(path, false))
        .hasValueSatisfying(m -> assertThat(m).contains(problem));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/C:|true",
        "/C:/Windows/win.ini|true",
        "/d:/x|true",
        "/C:x|false",
        "C:/Windows|false",
        "/etc/passwd|false",
        "/|false",
        "/1:/x|false",
      })
  void slashFormShape(String path, boolean slashForm) {
    assertThat(WindowsPaths.isSlashForm(path)).as(path).isEqualTo(slashForm);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"C:\\Windows\\win.ini|/C:/Windows/win.ini", "D:\\Program Files|/D:/Program Files"})
  void slashFormRoundTrips(String windows, String slash) {
    assertThat(WindowsPaths.toSlashForm(windows)).isEqualTo(slash);
    assertThat(WindowsPaths.isSlashForm(slash)).isTrue();
    assertThat(WindowsPaths.fromSlashForm(slash)).isEqualTo(windows);
  }

  @Test
  void aDriveInSlashFormIsTheDriveRoot() {
    assertThat(WindowsPaths.fromSlashForm("/C:")).isEqualTo("C:\\");
  }
}
