package io.kubefim.api.glob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathGlobTest {

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
    "/a, /a, true",
    "/a, /ab, false",
    "/a, /a/b, false",
    "/etc/*.conf, /etc/ssh.conf, true",
    "/etc/*.conf, /etc/ssh/sshd.conf, false",
    "/etc/*.conf, /etc/.conf, true",
    "/etc/**/*.conf, /etc/a.conf, true",
    "/etc/**/*.conf, /etc/x/y/a.conf, true",
    "/etc/**, /etc, true",
    "/etc/**, /etc/a/b, true",
    "/etc/**, /etcx/a, false",
    "/var/log/?.log, /var/log/a.log, true",
    "/var/log/?.log, /var/log/ab.log, false",
    "/dev/sd[a-c], /dev/sdb, true",
    "/dev/sd[a-c], /dev/sdd, false",
    "/dev/sd[!a-c], /dev/sdd, true",
    "/dev/sd[^a-c], /dev/sda, false",
    "/opt/*/bin, /opt/app/bin, true",
    "/opt/*/bin, /opt/app/sub/bin, false",
    "/, /, true",
  })
  void matchesOnSegmentBoundaries(String pattern, String path, boolean expected) {
    assertThat(PathGlob.compile(pattern).matches(path)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} root {1}")
  @CsvSource({
    "/etc/crontab, /etc/crontab, true",
    "/etc/*.conf, /etc, false",
    "/opt/*/bin, /opt, false",
    "/*, /, false",
    "/usr/local/**/bin, /usr/local, false",
  })
  void literalRootIsDeepestGlobFreeAncestor(String pattern, String root, boolean literal) {
    PathGlob g = PathGlob.compile(pattern);
    assertThat(g.literalRoot()).isEqualTo(root);
    assertThat(g.isLiteral()).isEqualTo(literal);
  }

  @ParameterizedTest(name = "{0} below {1} = {2}")
  @CsvSource({
    "/opt/*/bin, /opt, true",
    "/opt/*/bin, /opt/app, true",
    "/opt/*/bin, /srv, false",
    "/etc/**/x, /etc/a/b/c, true",
    "/etc/a, /etcx, false",
  })
  void prunesWalks(String pattern, String dir, boolean expected) {
    assertThat(PathGlob.compile(pattern).couldMatchBelow(dir)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "etc/passwd|must be an absolute path",
        "/etc/../shadow|must not contain '..' segments",
        "/etc/./x|must not contain '.' segments",
        "/etc/[ab|unclosed character class",
        "/etc/a**|'**' must be a whole path segment",
        "/etc/a\\|escapes nothing",
      })
  void rejectsBadPatternsWithAReason(String pattern, String reason) {
    assertThatThrownBy(() -> PathGlob.compile(pattern))
        .isInstanceOf(GlobSyntaxException.class)
        .hasMessageContaining(reason);
  }

  /**
   * Issue 11: {@code /etc/[z-a]} threw PatternSyntaxException out of compile (and froze
   * config-service). Every bad glob is a GlobSyntaxException naming the problem, from both compile
   * paths (rule path and include/exclude filter).
   */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "/etc/[z-a]|reversed range 'z-a' in character class of '[z-a]'",
        "/etc/[!z-a]|reversed range 'z-a'",
        "/etc/x[a-cz-a]y|reversed range 'z-a'",
        "/etc/[9-0].conf|reversed range '9-0'",
        "/etc/[--!]|reversed range '--!'",
        "/etc/[é-a]|reversed range 'é-a'",
        "/etc/[|unclosed character class",
        "/etc/[]|unclosed character class",
        "/etc/[!]|unclosed character class",
        "/etc/[a-|unclosed character class",
        "/etc/a[b/c]|unclosed character class",
        "/etc/[z-a/b|reversed range 'z-a' in character class of '[z-a'",
      })
  void everyBadGlobIsAGlobSyntaxError(String pattern, String reason) {
    assertThatThrownBy(() -> PathGlob.compile(pattern))
        .isExactlyInstanceOf(GlobSyntaxException.class)
        .hasMessageContaining(reason);
    String filter = pattern.substring(pattern.lastIndexOf('/') + 1);
    if (filter.contains("[")) { // the bad class is in the last segment: a base-name filter
      assertThatThrownBy(() -> PathFilter.compile(filter))
          .as("filter %s", filter)
          .isExactlyInstanceOf(GlobSyntaxException.class)
          .hasMessageContaining(reason.replace(" of '[z-a]'", ""));
    }
  }

  /** Characters that mean something to java.util.regex are plain members of a glob class. */
  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/d/[]]|/d/]|true",
        "/d/[!]]|/d/a|true",
        "/d/[!]]|/d/]|false",
        "/d/[a-]|/d/-|true",
        "/d/[-a]|/d/-|true",
        "/d/[&&]|/d/&|true",
        "/d/[[]|/d/[|true",
        "/d/[\\]|/d/\\|true",
        "/d/[^^]|/d/^|false",
        "/d/[.]|/d/x|false",
        "/d/[a-a]|/d/a|true",
        "/d/[😀-😂]|/d/😁|true",
      })
  void classMembersAreLiteral(String pattern, String path, boolean expected) {
    assertThat(PathGlob.compile(pattern).matches(path)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} on {1} under {2} = {3}")
  @CsvSource({
    "*.swp, /etc/a/.b.swp, /etc, true",
    "*.swp, /etc/a/b.swpx, /etc, false",
    "*~, /etc/passwd~, /etc, true",
    "cache/**, /app/cache/x/y, /app, true",
    "cache/**, /app/other/cache/x, /app, false",
    "/app/logs/*, /app/logs/a, /app, true",
    "**, /app/x, /app, true",
  })
  void filtersMatchBaseNameOrRelativePath(
      String pattern, String path, String root, boolean expected) {
    assertThat(PathFilter.compile(pattern).matches(path, root)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} under {1} = {2}")
  @CsvSource({"/a, /a, true", "/a/b, /a, true", "/ab, /a, false", "/x, /, true"})
  void isUnderComparesSegments(String path, String ancestor, boolean expected) {
    assertThat(HostPaths.isUnder(path, ancestor)).isEqualTo(expected);
  }
}
