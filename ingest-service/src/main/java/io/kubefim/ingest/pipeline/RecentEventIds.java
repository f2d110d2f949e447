package io.kubefim.ingest.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The EventIds of the most recently delivered events, bounded (least recently added evicted). Drops
 * agent retries of batches that already reached every sink before they cost a sink call. It is an
 * optimisation for sinks without their own dedup (azure, stdout); the store dedups by its unique
 * key regardless. Thread-safe.
 */
public final class RecentEventIds {
  private final Map<String, Boolean> ids;

  public RecentEventIds(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity < 0");
    }
    this.ids =
        new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** True when the id was recorded as delivered and not yet evicted. */
  public synchronized boolean contains(String eventId) {
    return ids.containsKey(eventId);
  }

  /** Records ids as delivered. */
  public synchronized void addAll(Iterable<String> eventIds) {
    for (String id : eventIds) {
      ids.put(id, Boolean.TRUE);
    }
  }

  public synchronized int size() {
    return ids.size();
  }
}
