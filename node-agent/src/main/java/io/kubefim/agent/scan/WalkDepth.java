package io.kubefim.agent.scan;

/**
 * How deep a walk (scan or realtime watch placement) goes: a directory more than {@link #MAX}
 * segments below {@code /} is not listed and not watched, and the walk reports a CoverageGap for it
 * instead. The bound keeps a tree an intruder makes as deep as the kernel allows (a few thousand
 * levels of one-letter names) from costing the agent unbounded memory or time, and it is far past
 * any real layout (distribution trees stay under 20 levels; at two bytes a level Linux's 4,096-byte
 * PATH_MAX already refuses absolute paths past about 2,000 levels).
 *
 * <p>Depth is counted on the host path as the policy writes it, not relative to a rule root, so
 * that a full scan, a subtree rescan and the realtime watcher draw the same line.
 */
public final class WalkDepth {
  /** Deepest directory listed: {@code /a} is depth 1. */
  public static final int MAX = 256;

  /** The CoverageGap's ErrorMessage for a directory past {@link #MAX}. */
  public static final String GAP_REASON = "MAX_DEPTH";

  private WalkDepth() {}

  /** Segments of absolute, normalized host path {@code path}: 0 for {@code /}. */
  public static int of(String path) {
    int n = 0;
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '/') {
        n++;
      }
    }
    return path.equals("/") ? 0 : n;
  }

  /** True when directory {@code path} is past the bound: it must not be listed or watched. */
  public static boolean tooDeep(String path) {
    return of(path) > MAX;
  }

  /** The CoverageGap details for directory {@code path}. */
  public static String gapDetails(String path) {
    return "directory deeper than "
        + MAX
        + " levels not walked or watched: changes below "
        + path
        + " are not seen";
  }
}
