package io.kubefim.api.glob;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ignore-case mode of PathGlob, PathFilter and HostPaths (issue 15: Windows rules in the
 * agent's slash form match names as NTFS does under Windows), and that the default mode still tells
 * case apart.
 */
class PathGlobIgnoreCaseTest {

  @ParameterizedTest(name = "{0} ~ {1}: ignoring case {2}, exact {3}")
  @CsvSource({
    "/C:/windows/*.INI, /C:/Windows/win.ini, true, false",
    "/C:/Windows/win.ini, /C:/WINDOWS/WIN.INI, true, false",
    "/C:/Windows/win.ini, /C:/Windows/win.ini, true, true",
    "/C:/Windows/win.ini, /C:/Windows/win.inix, false, false",
    "/C:/Windows/win.ini, /C:/WindowsApps/win.ini, false, false",
    "/C:/app/**/*.Config, /C:/APP/a/B/web.CONFIG, true, false",
    "/C:/app/[a-c]*.exe, /C:/app/B1.EXE, true, false",
    "/C:/app/[!a-c]*.exe, /C:/app/B1.exe, false, true",
    "/C:/app/?.dll, /C:/App/X.DLL, true, false",
    "/C:/Ünïcode/é*, /C:/üNÏCODE/Éa, true, false",
    "/etc/Passwd, /etc/passwd, true, false",
  })
  void matchesWithoutCaseOnlyWhenAsked(
      String pattern, String path, boolean ignoringCase, boolean exact) {
    assertThat(PathGlob.compile(pattern, true).matches(path)).isEqualTo(ignoringCase);
    assertThat(PathGlob.compile(pattern, false).matches(path)).isEqualTo(exact);
    assertThat(PathGlob.compile(pattern).matches(path)).isEqualTo(exact);
  }

  @ParameterizedTest(name = "{0} below {1} = {2}")
  @CsvSource({
    "/C:/Program Files/*/bin, /C:/PROGRAM FILES, true",
    "/C:/Program Files/*/bin, /C:/program files/App, true",
    "/C:/Program Files/*/bin, /C:/Programs, false",
  })
  void prunesWithoutCase(String pattern, String dir, boolean expected) {
    assertThat(PathGlob.compile(pattern, true).couldMatchBelow(dir)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "/C:/Windows/*.ini, /C:/Windows, false",
    "/C:/Windows/win.ini, /C:/Windows/win.ini, true",
  })
  void literalRootKeepsTheCaseAsWritten(String pattern, String root, boolean literal) {
    PathGlob g = PathGlob.compile(pattern, true);
    assertThat(g.literalRoot()).isEqualTo(root);
    assertThat(g.isLiteral()).isEqualTo(literal);
    assertThat(g.ignoresCase()).isTrue();
    assertThat(g).isNotEqualTo(PathGlob.compile(pattern));
  }

  @ParameterizedTest(name = "{0} on {1} under {2}: ignoring case {3}, exact {4}")
  @CsvSource({
    "*.LOG, /C:/app/a/b.log, /C:/app, true, false",
    "Cache/**, /C:/App/cache/x/y, /C:/app, true, false",
    "cache/**, /C:/App/other/cache/x, /C:/app, false, false",
    "/C:/APP/logs/*, /C:/app/Logs/a, /C:/app, true, false",
    "**, /C:/app/x, /C:/app, true, true",
  })
  void filtersWithoutCaseOnlyWhenAsked(
      String pattern, String path, String root, boolean ignoringCase, boolean exact) {
    assertThat(PathFilter.compile(pattern, true).matches(path, root)).isEqualTo(ignoringCase);
    assertThat(PathFilter.compile(pattern, false).matches(path, root)).isEqualTo(exact);
    assertThat(PathFilter.compile(pattern).matches(path, root)).isEqualTo(exact);
  }

  @ParameterizedTest(name = "{0} under {1}: ignoring case {2}, exact {3}")
  @CsvSource({
    "/C:/windows/win.ini, /C:/Windows, true, false",
    "/C:/Windows, /C:/WINDOWS, true, false",
    "/C:/WindowsApps/x, /C:/Windows, false, false",
    "/C:/Win, /C:/Windows, false, false",
    "/C:/x, /, true, true",
    "/a/b, /a, true, true",
  })
  void isUnderWithoutCase(String path, String ancestor, boolean ignoringCase, boolean exact) {
    assertThat(HostPaths.isUnder(path, ancestor, true)).isEqualTo(ignoringCase);
    assertThat(HostPaths.isUnder(path, ancestor, false)).isEqualTo(exact);
    assertThat(HostPaths.isUnder(path, ancestor)).isEqualTo(exact);
  }
}
