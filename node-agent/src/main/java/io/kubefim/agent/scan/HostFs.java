package io.kubefim.agent.scan;

import io.kubefim.api.glob.HostPaths;
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
 */
public final class HostFs {
  private static final int MAX_LINKS = 40;
  private final Path hostRoot;
  private final String hostRootRendered; // for hostPathsOf, on the fanotify reader's hot path
  // rule root (as written) -> resolved host path; longest match wins
  private volatile NavigableMap<String, String> rootMap;

  public HostFs(Path hostRoot, Collection<String> ruleRoots) {
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
      if (HostPaths.isUnder(path, e.getKey())) {
        host = e.getValue() + path.substring(e.getKey().length());
        break;
      }
    }
    return host.equals("/") ? hostRoot : RawPaths.resolve(hostRoot, host.substring(1));
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
    if (root.equals("/")) {
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
      if (HostPaths.isUnder(host, e.getValue())) {
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
      Path real = RawPaths.resolve(hostRoot, next.substring(1));
      boolean last = i == parts.size() - 1;
      if (Files.isSymbolicLink(real) && depth < MAX_LINKS && (!last || Files.isDirectory(real))) {
        try {
          String target = RawPaths.render(Files.readSymbolicLink(real));
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
