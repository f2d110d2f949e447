package io.kubefim.api.glob;

/** Segment-aware comparisons of absolute, normalized paths (no trailing slash but for "/"). */
public final class HostPaths {
  private HostPaths() {}

  /**
   * True when {@code path} is {@code ancestor} or lies below it: {@code /a} is not under {@code
   * /ab}.
   */
  public static boolean isUnder(String path, String ancestor) {
    if (ancestor.equals("/")) {
      return path.startsWith("/");
    }
    return path.equals(ancestor)
        || (path.startsWith(ancestor) && path.charAt(ancestor.length()) == '/');
  }

  /**
   * {@link #isUnder(String, String)}, comparing names without regard to case when {@code
   * ignoreCase} (Windows paths in the agent's slash form, issue 15): {@code /C:/windows/win.ini} is
   * under {@code /C:/Windows}, {@code /C:/WindowsApps} is not.
   */
  public static boolean isUnder(String path, String ancestor, boolean ignoreCase) {
    if (!ignoreCase) {
      return isUnder(path, ancestor);
    }
    if (ancestor.equals("/")) {
      return path.startsWith("/");
    }
    int n = ancestor.length();
    return path.regionMatches(true, 0, ancestor, 0, n)
        && (path.length() == n || path.charAt(n) == '/');
  }

  /** The parent directory of an absolute path; {@code /} for a top-level entry and for "/". */
  public static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /**
   * {@code path} with repeated slashes collapsed and a trailing slash removed ({@code /etc//ssh/}
   * becomes {@code /etc/ssh}); {@code /} stays {@code /}. Glob characters are left alone.
   */
  public static String normalize(String path) {
    String p = path.replaceAll("/{2,}", "/");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  /** The base name of an absolute path; empty for "/". */
  public static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
