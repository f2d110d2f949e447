package io.kubefim.api.windows;

import java.util.Locale;
import java.util.Optional;

/**
 * Windows file paths as policies and events write them (issue 15): a drive letter, a colon and a
 * backslash ({@code C:\Windows\win.ini}); {@code /} is read as {@code \}; case does not matter
 * (NTFS as Windows uses it), so comparisons go through {@link #key}. UNC ({@code \\server\share})
 * and device paths ({@code \\?\}) are refused: an agent watches its own node's volumes.
 */
public final class WindowsPaths {
  private WindowsPaths() {}

  /** Whether {@code path} looks like a Windows path at all (a drive letter and a colon). */
  public static boolean looksWindows(String path) {
    return path != null
        && path.length() >= 2
        && path.charAt(1) == ':'
        && isDriveLetter(path.charAt(0));
  }

  /**
   * Why {@code path} is not an absolute, normalized Windows path, or empty when it is.
   *
   * @param allowGlobs whether {@code * ? [..]} may appear (policy rules) or not (events)
   */
  public static Optional<String> problem(String path, boolean allowGlobs) {
    if (path == null || path.isEmpty()) {
      return Optional.of("empty");
    }
    if (path.startsWith("\\\\") || path.startsWith("//")) {
      return Optional.of(
          "a UNC or device path (\\\\...) is not a path of this node: \"" + path + "\"");
    }
    if (!looksWindows(path) || path.length() < 3 || !isSeparator(path.charAt(2))) {
      return Optional.of(
          "not an absolute Windows path (expected a drive such as C:\\): \"" + path + "\"");
    }
    String rest = normalizeSeparators(path.substring(3));
    for (String segment : rest.split("\\\\", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return Optional.of(
            "not a normalized path (has a '" + segment + "' segment): \"" + path + "\"");
      }
      for (char c : segment.toCharArray()) {
        if (c < 0x20 || c == '<' || c == '>' || c == '"' || c == '|' || c == ':') {
          return Optional.of("a character Windows does not allow in a name: \"" + path + "\"");
        }
        if (!allowGlobs && (c == '*' || c == '?')) {
          return Optional.of("a wildcard in a path that must be a file: \"" + path + "\"");
        }
      }
    }
    return Optional.empty();
  }

  /** The path with {@code /} as {@code \}, the drive letter upper case, no trailing separator. */
  public static String normalize(String path) {
    String p = normalizeSeparators(path);
    p = Character.toUpperCase(p.charAt(0)) + p.substring(1);
    while (p.length() > 3 && p.endsWith("\\")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  /** The comparison key: normalized and case-folded (Windows matches names case-insensitively). */
  public static String key(String path) {
    return normalize(path).toUpperCase(Locale.ROOT);
  }

  /**
   * Whether {@code path} is {@code root} or below it, on segment boundaries and ignoring case:
   * {@code C:\Windows} covers {@code c:\windows\win.ini}, not {@code C:\WindowsApps}.
   */
  public static boolean isUnder(String path, String root) {
    String p = key(path);
    String r = key(root);
    if (p.equals(r)) {
      return true;
    }
    String prefix = r.endsWith("\\") ? r : r + "\\";
    return p.startsWith(prefix);
  }

  /**
   * The form the agent matches Windows paths in, with the same glob code as Linux paths: {@code
   * C:\\Windows\\*.ini} is {@code /C:/Windows/*.ini} (drive upper case). A relative filter ({@code
   * cache\\**}) only has its separators turned.
   */
  public static String toSlashForm(String path) {
    if (!looksWindows(path)) {
      return normalizeSeparators(path).replace('\\', '/');
    }
    return "/" + normalize(path).replace('\\', '/');
  }

  /**
   * Whether {@code path} is an absolute path in the slash form of {@link #toSlashForm}: a slash, a
   * drive letter, a colon, then the end or a slash ({@code /C:}, {@code /C:/Windows}). Only the
   * shape is judged: {@code /C:/x} is also a possible Linux path, so callers that may hold either
   * know which OS their rule is for.
   */
  public static boolean isSlashForm(String path) {
    return path != null
        && path.length() >= 3
        && path.charAt(0) == '/'
        && isDriveLetter(path.charAt(1))
        && path.charAt(2) == ':'
        && (path.length() == 3 || path.charAt(3) == '/');
  }

  /** The inverse of {@link #toSlashForm} for an absolute path: {@code /C:/a} is {@code C:\\a}. */
  public static String fromSlashForm(String slashPath) {
    String p = slashPath.startsWith("/") ? slashPath.substring(1) : slashPath;
    p = p.replace('/', '\\');
    return p.length() == 2 && p.charAt(1) == ':' ? p + "\\" : p;
  }

  /** The last segment ({@code win.ini} of {@code C:\Windows\win.ini}). */
  public static String baseName(String path) {
    String p = normalize(path);
    int i = p.lastIndexOf('\\');
    return i < 0 ? p : p.substring(i + 1);
  }

  private static String normalizeSeparators(String s) {
    return s.replace('/', '\\');
  }

  private static boolean isSeparator(char c) {
    return c == '\\' || c == '/';
  }

  private static boolean isDriveLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }
}
