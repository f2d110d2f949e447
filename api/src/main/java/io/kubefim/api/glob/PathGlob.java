package io.kubefim.api.glob;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An absolute path pattern with the semantics of SPEC §2: {@code *}, {@code ?} and {@code [..]}
 * match within one segment, a segment that is exactly {@code **} matches zero or more segments.
 * Matching is segment-aware: {@code /a} matches {@code /a} and never {@code /ab}. A pattern
 * compiled with {@code ignoreCase} ({@link #compile(String, boolean)}: Windows rules in the agent's
 * slash form, issue 15) matches names without regard to case, as NTFS does under Windows: each
 * character compared by its simple upper and lower case ({@link String#equalsIgnoreCase}, {@link
 * Pattern#CASE_INSENSITIVE} with {@link Pattern#UNICODE_CASE}). Immutable and thread-safe.
 */
public final class PathGlob {
  private final String pattern;
  private final List<Segment> segments;
  private final int literalSegments;
  private final boolean ignoreCase;

  private PathGlob(String pattern, List<Segment> segments, boolean ignoreCase) {
    this.pattern = pattern;
    this.segments = segments;
    this.ignoreCase = ignoreCase;
    int n = 0;
    while (n < segments.size() && segments.get(n).literal != null) {
      n++;
    }
    this.literalSegments = n;
  }

  /**
   * Compiles an absolute pattern.
   *
   * @throws GlobSyntaxException naming what is wrong, when the pattern is not absolute or not a
   *     valid glob
   */
  public static PathGlob compile(String pattern) {
    return compile(pattern, false);
  }

  /**
   * Compiles an absolute pattern that matches case-sensitively or, with {@code ignoreCase}, without
   * regard to case (the literal root keeps the case as written).
   *
   * @throws GlobSyntaxException as {@link #compile(String)}
   */
  public static PathGlob compile(String pattern, boolean ignoreCase) {
    if (pattern == null || !pattern.startsWith("/")) {
      throw new GlobSyntaxException("must be an absolute path");
    }
    return new PathGlob(pattern, parseSegments(pattern.substring(1), ignoreCase), ignoreCase);
  }

  /** Parses the segments of a pattern without its leading slash; used by {@link PathFilter}. */
  static List<Segment> parseSegments(String rest, boolean ignoreCase) {
    List<Segment> out = new ArrayList<>();
    if (rest.isEmpty()) {
      return out;
    }
    for (String s : rest.split("/", -1)) {
      if (s.isEmpty()) {
        continue; // tolerate "//" and a trailing slash
      }
      if (s.equals(".") || s.equals("..")) {
        throw new GlobSyntaxException("must not contain '" + s + "' segments");
      }
      out.add(Segment.parse(s, ignoreCase));
    }
    return List.copyOf(out);
  }

  /** The pattern as written. */
  public String pattern() {
    return pattern;
  }

  /** True when names match without regard to case ({@link #compile(String, boolean)}). */
  public boolean ignoresCase() {
    return ignoreCase;
  }

  /** True when the pattern has no glob characters: it names one path. */
  public boolean isLiteral() {
    return literalSegments == segments.size();
  }

  /**
   * The deepest ancestor directory that holds no glob character (the path itself for a literal
   * pattern), normalized without a trailing slash; {@code /} at the top.
   */
  public String literalRoot() {
    if (literalSegments == 0) {
      return "/";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < literalSegments; i++) {
      b.append('/').append(segments.get(i).literal);
    }
    return b.toString();
  }

  /** True when the absolute, normalized {@code path} matches the whole pattern. */
  public boolean matches(String path) {
    return match(segments, 0, split(path), 0, false);
  }

  /**
   * True when {@code dir} or something below it could match: the walk may descend into it. A cheap
   * pruning test, exact for patterns without {@code **}.
   */
  public boolean couldMatchBelow(String dir) {
    return match(segments, 0, split(dir), 0, true);
  }

  static boolean match(List<Segment> pat, int pi, String[] path, int si, boolean prefix) {
    while (pi < pat.size()) {
      Segment seg = pat.get(pi);
      if (seg.doubleStar) {
        // ** matches zero or more segments: try every split point.
        for (int k = si; k <= path.length; k++) {
          if (match(pat, pi + 1, path, k, prefix)) {
            return true;
          }
        }
        return prefix; // below this directory ** can still match anything
      }
      if (si == path.length) {
        return prefix; // the path ended inside the pattern: a descendant might match
      }
      if (!seg.matches(path[si])) {
        return false;
      }
      pi++;
      si++;
    }
    return si == path.length;
  }

  static String[] split(String path) {
    if (path == null || path.isEmpty() || path.equals("/")) {
      return new String[0];
    }
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? new String[0] : p.split("/");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathGlob g && g.pattern.equals(pattern) && g.ignoreCase == ignoreCase;
  }

  @Override
  public int hashCode() {
    return pattern.hashCode() ^ Boolean.hashCode(ignoreCase);
  }

  @Override
  public String toString() {
    return pattern;
  }

  /** One path segment: a literal, {@code **}, or a compiled single-segment glob. */
  static final class Segment {
    final String literal;
    final boolean doubleStar;
    final Pattern regex;
    final boolean ignoreCase;

    private Segment(String literal, boolean doubleStar, Pattern regex, boolean ignoreCase) {
      this.literal = literal;
      this.doubleStar = doubleStar;
      this.regex = regex;
      this.ignoreCase = ignoreCase;
    }

    boolean matches(String name) {
      if (literal != null) {
        return ignoreCase ? literal.equalsIgnoreCase(name) : literal.equals(name);
      }
      return regex.matcher(name).matches();
    }

    static Segment parse(String s, boolean ignoreCase) {
      if (s.equals("**")) {
        return new Segment(null, true, null, ignoreCase);
      }
      if (s.contains("**")) {
        throw new GlobSyntaxException("'**' must be a whole path segment, found '" + s + "'");
      }
      StringBuilder re = new StringBuilder();
      StringBuilder lit = new StringBuilder();
      boolean glob = false;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '\\' -> {
            if (i + 1 == s.length()) {
              throw new GlobSyntaxException("a trailing '\\' escapes nothing in '" + s + "'");
            }
            char n = s.charAt(++i);
            re.append(Pattern.quote(String.valueOf(n)));
            lit.append(n);
          }
          case '*' -> {
            glob = true;
            re.append("[^/]*");
          }
          case '?' -> {
            glob = true;
            re.append("[^/]");
          }
          case '[' -> {
            glob = true;
            i = parseClass(s, i, re);
          }
          default -> {
            re.append(Pattern.quote(String.valueOf(c)));
            lit.append(c);
          }
        }
      }
      if (!glob) {
        return new Segment(lit.toString(), false, null, ignoreCase);
      }
      int flags = ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
      try {
        return new Segment(null, false, Pattern.compile(re.toString(), flags), ignoreCase);
      } catch (PatternSyntaxException e) {
        // The parser above should never build a bad regex; if it does, the pattern is still
        // refused as a glob, never thrown as something a caller does not expect (issue 11).
        throw new GlobSyntaxException("not a valid glob '" + s + "': " + e.getDescription());
      }
    }

    /**
     * Appends a regex class for the glob class starting at {@code open}; returns its end. Every
     * member is written as a {@code \x{..}} code point, so no character of the glob can mean
     * something else to {@link Pattern}; a range must run upwards ({@code [a-z]}, not {@code
     * [z-a]}). A {@code ]} right after {@code [} or {@code [!} is a member, {@code -} first or last
     * is a member, a backslash is a member (no escaping inside a class).
     */
    private static int parseClass(String s, int open, StringBuilder re) {
      int i = open + 1;
      StringBuilder cls = new StringBuilder("[");
      if (i < s.length() && (s.charAt(i) == '!' || s.charAt(i) == '^')) {
        cls.append('^');
        i++;
      }
      int first = i;
      while (i < s.length()) {
        int c = s.codePointAt(i);
        if (c == ']' && i > first) {
          re.append(cls).append(']');
          return i;
        }
        int next = i + Character.charCount(c);
        if (next + 1 < s.length() && s.charAt(next) == '-' && s.charAt(next + 1) != ']') {
          int hi = s.codePointAt(next + 1);
          if (hi < c) {
            throw new GlobSyntaxException(
                "reversed range '"
                    + new StringBuilder().appendCodePoint(c).append('-').appendCodePoint(hi)
                    + "' in character class of '"
                    + s
                    + "': write the lower end first");
          }
          cls.append(codePoint(c)).append('-').append(codePoint(hi));
          i = next + 1 + Character.charCount(hi);
        } else {
          cls.append(codePoint(c));
          i = next;
        }
      }
      throw new GlobSyntaxException("unclosed character class '[' in '" + s + "'");
    }

    private static String codePoint(int c) {
      return "\\x{" + Integer.toHexString(c) + "}";
    }
  }
}
