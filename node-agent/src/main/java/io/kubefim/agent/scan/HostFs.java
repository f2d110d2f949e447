package io.kubefim.agent.scan;

import io.kubefim.api.glob.HostPaths;
import io.kubefim.api.windows.WindowsPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Maps host paths (as policies write them, e.g. {@code /bin/passwd}) to where the agent reads them
 * ({@code --host-root}, {@code /host} in the DaemonSet). Symlinks in a rule root are resolved on
 * the host side, never in the container: with {@code /bin -> usr/bin} under the host root, {@code
 * /bin/passwd} is read at {@code <root>/usr/bin/passwd} and still reported as {@code /bin/passwd}.
 * Host paths are rendered names ({@link NameCodec}): {@link RawPaths} turns them into the bytes the
 * kernel has. Thread-safe: the root map is an immutable snapshot, replaced whole by {@link
 * #setRoots} when the rules change.
 *
 * <p>Windows rules (issue 15) come in slash form ({@code /C:/Windows/win.ini}). Under a host root
 * {@code R} they are read at {@code R/C:/Windows/win.ini}, a directory literally named {@code C:}
 * (on Linux, in tests: the whole pipeline runs there unchanged). On Windows ({@link
 * RawPaths#UTF16_NAMES}) the agent is a HostProcess pod that sees the host's drives as its own:
 * with no host root (the default {@code /}, a drive's root) {@code /C:/x} is read at {@code C:\x};
 * with one, at {@code R\C\x} (a drive letter as a folder, {@code :} being no name character there),
 * e.g. a mounted copy of a disk. Symlinks in rule roots are resolved there too, Windows targets
 * ({@code C:\Users}, {@code ..\x}) read in slash form; a junction is not a symlink to the JDK and
 * is left to Windows. Names compare without case on Windows.
 */
public final class HostFs {
  private static final int MAX_LINKS = 40;
  private final boolean windows; // drive paths on a Windows file system
  private final Path hostRoot;
  private final String hostRootRendered; // for hostPathsOf, on the fanotify reader's hot path
  // rule root (as written) -> resolved host path; longest match wins
  private volatile NavigableMap<String, String> rootMap;

  public HostFs(Path hostRoot, Collection<String> ruleRoots) {
    this(hostRoot, ruleRoots, RawPaths.UTF16_NAMES);
  }

  HostFs(Path hostRoot, Collection<String> ruleRoots, boolean windows) {
    this.windows = windows;
    this.hostRoot = hostRoot.toAbsolutePath().normalize();
    this.hostRootRendered = RawPaths.render(this.hostRoot);
    setRoots(ruleRoots);
  }

  /** Resolves the symlinks of a new set of rule roots (a config change). */
  public void setRoots(Collection<String> ruleRoots) {
    TreeMap<String, String> map = new TreeMap<>();
    for (String r : ruleRoots) {
      String resolved = resolve(r, 0);
      if (!resolved.equals(r)) {
        map.put(r, resolved);
      }
    }
    this.rootMap = Collections.unmodifiableNavigableMap(map);
  }

  public Path hostRoot() {
    return hostRoot;
  }

  /** Where to read host path {@code path}. */
  public Path toReal(String path) {
    String host = path;
    for (Map.Entry<String, String> e : rootMap.descendingMap().entrySet()) {
      if (HostPaths.isUnder(path, e.getKey(), windows)) {
        host = e.getValue() + path.substring(e.getKey().length());
        break;
      }
    }
    return real(host);
  }

  /** Where host path {@code host} (symlinks resolved) is read. */
  private Path real(String host) {
    if (host.equals("/")) {
      return hostRoot;
    }
    if (windows && WindowsPaths.isSlashForm(host)) {
      return windowsReal(hostRoot, host);
    }
    return RawPaths.resolve(hostRoot, host.substring(1));
  }

  /**
   * Where a slash-form drive path is read on Windows: {@code /C:/x} at {@code C:\x} when the host
   * root is a drive's root (no host root), else at {@code <root>\C\x}.
   */
  static Path windowsReal(Path hostRoot, String host) {
    if (hostRoot.getParent() == null) {
      return hostRoot.getFileSystem().getPath(WindowsPaths.fromSlashForm(host));
    }
    return hostRoot.resolve(host.charAt(1) + host.substring(3));
  }

  /** The slash form of a real Windows path under the host root, or null when it is not one. */
  static String windowsHostPath(Path hostRoot, String real) {
    if (hostRoot.getParent() == null) {
      return WindowsPaths.looksWindows(real) ? slashForm(real) : null;
    }
    String root = hostRoot.toString();
    if (!real.regionMatches(true, 0, root, 0, root.length())
        || real.length() < root.length() + 2
        || real.charAt(root.length()) != '\\') {
      return null;
    }
    String rest = real.substring(root.length() + 1); // C\Windows\win.ini
    int sep = rest.indexOf('\\');
    String drive = sep < 0 ? rest : rest.substring(0, sep);
    if (drive.length() != 1) {
      return null;
    }
    return slashForm(drive + ":\\" + (sep < 0 ? "" : rest.substring(sep + 1)));
  }

  /** {@link WindowsPaths#toSlashForm} without the slash it leaves after a bare drive. */
  private static String slashForm(String windowsPath) {
    String s = WindowsPaths.toSlashForm(windowsPath);
    return s.length() > 3 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /**
   * The host paths that name the entry read at {@code real} (a rendered path in the agent's file
   * system, e.g. from {@code /proc/self/fd}): the path under the host root, and every rule root's
   * spelling of it when a root is a symlink ({@code /bin/x} for {@code /usr/bin/x} when a rule says
   * {@code /bin}). Empty when {@code real} is not under the host root.
   */
  public List<String> hostPathsOf(String real) {
    String root = hostRootRendered;
    String host;
    if (windows) {
      host = windowsHostPath(hostRoot, real);
      if (host == null) {
        return List.of();
      }
    } else if (root.equals("/")) {
      host = real;
    } else if (real.equals(root)) {
      host = "/";
    } else if (real.startsWith(root + "/")) {
      host = real.substring(root.length());
    } else {
      return List.of();
    }
    List<String> all = new ArrayList<>(2);
    all.add(host);
    for (Map.Entry<String, String> e : rootMap.entrySet()) {
      if (HostPaths.isUnder(host, e.getValue(), windows)) {
        all.add(e.getKey() + host.substring(e.getValue().length()));
      }
    }
    return all;
  }

  /**
   * Follows symlinks in the ancestors of {@code path} and in its last segment when that points to a
   * directory, staying under the host root (an absolute target is taken relative to it).
   */
  private String resolve(String path, int depth) {
    List<String> parts = new ArrayList<>(List.of(path.substring(1).split("/")));
    parts.removeIf(String::isEmpty);
    String cur = "";
    for (int i = 0; i < parts.size(); i++) {
      String next = cur + "/" + parts.get(i);
      Path real = real(next);
      boolean last = i == parts.size() - 1;
      if (Files.isSymbolicLink(real) && depth < MAX_LINKS && (!last || Files.isDirectory(real))) {
        try {
          String target = linkTarget(real);
          if (target == null) {
            return path; // a target Windows names by volume or device: left to Windows
          }
          String joined = target.startsWith("/") ? target : cur + "/" + target;
          String rest = String.join("/", parts.subList(i + 1, parts.size()));
          String again = normalize(joined + (rest.isEmpty() ? "" : "/" + rest));
          return resolve(again, depth + 1);
        } catch (IOException e) {
          return path;
        }
      }
      cur = next;
    }
    return cur.isEmpty() ? "/" : cur;
  }

  /** A symlink's target as a host path: absolute ({@code /...}) or relative to its directory. */
  private String linkTarget(Path link) throws IOException {
    String target = RawPaths.render(Files.readSymbolicLink(link));
    if (!windows) {
      return target;
    }
    if (WindowsPaths.looksWindows(target)) {
      return slashForm(target); // C:\Users -> /C:/Users
    }
    if (target.startsWith("\\") || target.startsWith("/")) {
      return null; // \\?\Volume{..}\ or a rooted path on no named drive
    }
    return target.replace('\\', '/');
  }

  private static String normalize(String p) {
    List<String> out = new ArrayList<>();
    for (String s : p.split("/")) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
        continue;
      }
      out.add(s);
    }
    return "/" + String.join("/", out);
  }

  /** True when the entry at {@code real} exists without following a final symlink. */
  public static boolean exists(Path real) {
    return Files.exists(real, LinkOption.NOFOLLOW_LINKS);
  }
}
