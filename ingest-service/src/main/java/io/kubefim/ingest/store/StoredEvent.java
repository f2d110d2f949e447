package io.kubefim.ingest.store;

import java.time.Instant;

/**
 * One stored event with its position in the store's order (TimeGenerated, then arrival).
 *
 * @param json the event as stored (wire format, SPEC §4)
 */
public record StoredEvent(long seq, Instant timeGenerated, String json) {

  /** The keyset cursor that continues after this event. */
  public PageCursor cursor() {
    return new PageCursor(timeGenerated, seq);
  }
}
