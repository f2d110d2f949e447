package io.kubefim.agent.attribution;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The writers seen for each path since its last event: filled by the fanotify reader as events are
 * read, taken by the engine when the debounced change becomes an event (the last writer, and how
 * many there were). The engine takes a path's writers after it observed the file, so writes made in
 * between are counted for that event, and the next event of the path (which reports them) may find
 * no new writer: it gets the path's last writer, the last process that wrote it before it was
 * observed. Bounded: entries older than {@link #TTL_MILLIS} and the oldest beyond {@link
 * #MAX_PATHS} go; the event then says its writer is unknown, never shows another one. Thread-safe.
 */
final class WriterLog {
  static final long TTL_MILLIS = 120_000;
  static final int MAX_PATHS = 65_536;
  private static final int MAX_DISTINCT = 1000;

  /**
   * @param last the last writer
   * @param writers distinct writers since the path's last event (at most 1000)
   */
  record Taken(Writer last, int writers) {}

  private static final class Entry {
    Writer last;
    final Set<Object> keys = new HashSet<>();
    long at;
  }

  private final Map<String, Entry> byPath = new LinkedHashMap<>();
  private final int maxPaths;
  private long evicted;

  WriterLog() {
    this(MAX_PATHS);
  }

  WriterLog(int maxPaths) {
    this.maxPaths = maxPaths;
  }

  synchronized void record(String path, Writer w, long now) {
    Entry e = byPath.remove(path); // re-inserted: the map's order is the order of last writes
    if (e == null) {
      e = new Entry();
    }
    e.last = w;
    if (e.keys.size() < MAX_DISTINCT) {
      e.keys.add(w.key());
    }
    e.at = now;
    byPath.put(path, e);
    expire(now);
  }

  /**
   * The writers of {@code path} since its last event (counted afresh from now), or its last writer
   * when none wrote since; null when no writer was seen within {@link #TTL_MILLIS}.
   */
  synchronized Taken take(String path, long now) {
    expire(now);
    Entry e = byPath.get(path);
    if (e == null) {
      return null;
    }
    Taken t = new Taken(e.last, Math.max(1, e.keys.size()));
    e.keys.clear();
    return t;
  }

  /** Forgets {@code path} (renamed away or deleted: its next writer is another file's). */
  synchronized void forget(String path) {
    byPath.remove(path);
  }

  /** Paths dropped for the bound so far. */
  synchronized long evicted() {
    return evicted;
  }

  synchronized int size() {
    return byPath.size();
  }

  private void expire(long now) {
    Iterator<Entry> it = byPath.values().iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      boolean old = now - e.at > TTL_MILLIS;
      if (!old && byPath.size() <= maxPaths) {
        break; // ordered by last write: the rest are younger
      }
      if (!old) {
        evicted++;
      }
      it.remove();
    }
  }
}
