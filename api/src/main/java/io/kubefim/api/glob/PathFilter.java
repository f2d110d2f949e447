package io.kubefim.api.glob;

import java.util.List;

/**
 * An include or exclude pattern of a rule. A pattern without '/' matches the base name at any depth
 * ({@code *.swp}); an absolute pattern matches the whole path; any other pattern matches the path
 * relative to the rule's root ({@code cache/**}). Compiled with {@code ignoreCase} ({@link
 * #compile(String, boolean)}, Windows rules) it matches names as {@link PathGlob#compile(String,
 * boolean)} does, and relativizes against the root without regard to case. Immutable and
 * thread-safe.
 */
public final class PathFilter {
  private final String pattern;
  private final PathGlob.Segment baseName;
  private final List<PathGlob.Segment> segments;
  private final boolean absolute;
  private final boolean ignoreCase;

  private PathFilter(
      String pattern,
      PathGlob.Segment baseName,
      List<PathGlob.Segment> segments,
      boolean abs,
      boolean ignoreCase) {
    this.pattern = pattern;
    this.baseName = baseName;
    this.segments = segments;
    this.absolute = abs;
    this.ignoreCase = ignoreCase;
  }

  /**
   * Compiles a filter pattern.
   *
   * @throws GlobSyntaxException naming what is wrong
   */
  public static PathFilter compile(String pattern) {
    return compile(pattern, false);
  }

  /**
   * Compiles a filter pattern matching case-sensitively or, with {@code ignoreCase}, without regard
   * to case.
   *
   * @throws GlobSyntaxException naming what is wrong
   */
  public static PathFilter compile(String pattern, boolean ignoreCase) {
    if (pattern == null || pattern.isEmpty()) {
      throw new GlobSyntaxException("must not be empty");
    }
    if (pattern.indexOf('/') < 0) {
      if (pattern.equals("**")) {
        return new PathFilter(
            pattern, null, PathGlob.parseSegments("**", ignoreCase), false, ignoreCase);
      }
      return new PathFilter(
          pattern, PathGlob.Segment.parse(pattern, ignoreCase), null, false, ignoreCase);
    }
    boolean abs = pattern.startsWith("/");
    return new PathFilter(
        pattern,
        null,
        PathGlob.parseSegments(abs ? pattern.substring(1) : pattern, ignoreCase),
        abs,
        ignoreCase);
  }

  /** The pattern as written. */
  public String pattern() {
    return pattern;
  }

  /**
   * True when the file at absolute {@code path}, found under the rule root {@code root}, is
   * selected by this pattern.
   */
  public boolean matches(String path, String root) {
    if (baseName != null) {
      int slash = path.lastIndexOf('/');
      return baseName.matches(path.substring(slash + 1));
    }
    if (absolute) {
      return PathGlob.match(segments, 0, PathGlob.split(path), 0, false);
    }
    String rel = relativize(path, root, ignoreCase);
    return rel != null && PathGlob.match(segments, 0, PathGlob.split(rel), 0, false);
  }

  /** {@code path} relative to {@code root} on segment boundaries, or null when not below it. */
  static String relativize(String path, String root, boolean ignoreCase) {
    if (root == null || root.equals("/")) {
      return path.substring(1);
    }
    if (!HostPaths.isUnder(path, root, ignoreCase)) {
      return null;
    }
    return path.length() == root.length() ? "" : path.substring(root.length() + 1);
  }

  @Override
  public String toString() {
    return pattern;
  }
}
