package io.kubefim.agent.attribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * User names from the host's {@code /etc/passwd} (not the agent image's): a uid the file does not
 * name is reported as the number. The file is re-read when its modification time or size changed,
 * checked at most every few seconds (useradd replaces it by a rename). Thread-safe.
 */
public final class Accounts {
  private static final long RECHECK_MILLIS = 5000;
  private final List<Path> candidates;
  private final LongSupplier clock;
  private Map<Long, String> names = Map.of();
  private Object stamp;
  private long checkedAt = Long.MIN_VALUE;

  /**
   * @param candidates passwd files in order of preference: the first readable one is used (the
   *     host's through {@code /proc/1/root} with hostPID, else the one under the host root)
   */
  public Accounts(List<Path> candidates, LongSupplier clock) {
    this.candidates = List.copyOf(candidates);
    this.clock = clock;
  }

  /** The user name of {@code uid}, or the uid as a number; null for -1 (unknown). */
  public synchronized String name(long uid) {
    if (uid < 0) {
      return null;
    }
    refresh();
    String n = names.get(uid);
    return n != null ? n : Long.toString(uid);
  }

  private void refresh() {
    long now = clock.getAsLong();
    if (now - checkedAt < RECHECK_MILLIS && checkedAt != Long.MIN_VALUE) {
      return;
    }
    checkedAt = now;
    for (Path p : candidates) {
      try {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        Object s = List.of(p, a.lastModifiedTime(), a.size());
        if (!s.equals(stamp)) {
          names = parse(Files.readString(p, StandardCharsets.UTF_8));
          stamp = s;
        }
        return;
      } catch (IOException | RuntimeException e) {
        // next candidate
      }
    }
    names = Map.of();
    stamp = null;
  }

  /** {@code name:x:uid:...} lines; the first name of a uid wins, as getpwuid's does. */
  static Map<Long, String> parse(String passwd) {
    Map<Long, String> m = new HashMap<>();
    for (String line : passwd.split("\n")) {
      String[] f = line.split(":", -1);
      if (f.length < 3 || f[0].isEmpty() || f[0].startsWith("#")) {
        continue;
      }
      try {
        m.putIfAbsent(Long.parseLong(f[2].trim()), f[0]);
      } catch (NumberFormatException e) {
        // a malformed line names nobody
      }
    }
    return Map.copyOf(m);
  }
}
