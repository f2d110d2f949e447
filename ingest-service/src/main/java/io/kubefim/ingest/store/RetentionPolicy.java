package io.kubefim.ingest.store;

import java.time.Duration;
import java.time.Instant;

/**
 * The store's bounds, as a pure decision: rows received before {@code now - maxAge} go, then the
 * oldest rows (by arrival, {@code seq}) beyond {@code maxEvents}. The newest row is never deleted:
 * age deletion spares it (a quiet cluster still shows its last known change) and {@code maxEvents}
 * is at least 1.
 *
 * @param maxAge how long an event is kept after it was received ({@code
 *     kubefim.ingest.store.retention})
 * @param maxEvents most rows kept ({@code kubefim.ingest.store.max-events})
 */
record RetentionPolicy(Duration maxAge, long maxEvents) {
  RetentionPolicy {
    if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException(
          "kubefim.ingest.store.retention must be a positive duration, got " + maxAge);
    }
    if (maxEvents < 1) {
      throw new IllegalArgumentException(
          "kubefim.ingest.store.max-events must be at least 1, got " + maxEvents);
    }
  }

  /** Rows received before this instant are deleted (except the newest row). */
  Instant cutoff(Instant now) {
    return now.minus(maxAge);
  }

  /**
   * How many of the oldest rows to delete for the size bound, given {@code rows} left after the age
   * step: never all of them, since {@code maxEvents >= 1}.
   */
  long excess(long rows) {
    return Math.max(0, rows - maxEvents);
  }
}
