package io.kubefim.ingest.receive;

import java.util.List;

/**
 * Why one event of a batch was refused: its position in the batch (0-based; the line number minus
 * one for NDJSON without blank lines), its EventId when readable, and every problem found.
 */
public record Rejection(int index, String eventId, List<String> reasons) {
  public Rejection {
    reasons = List.copyOf(reasons);
  }
}
