package io.kubefim.agent.ship;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubefim.agent.baseline.OutboxRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * ingest-service's per-event answer to a batch (its {@code IngestResult} with {@code Rejection}s,
 * docs/ingest.md), recognised strictly: only such an answer may make the agent drop events, so
 * anything else that comes with a 400 (no body, a proxy's HTML, a whole-batch error, a list naming
 * events that are not in this batch) is not one. Pure.
 *
 * @param count events ingest-service rejected ({@code rejectedCount})
 * @param listed the rejections it named, each matching an event of the batch
 */
record PerEventRejection(long count, List<Rejected> listed) {
  /** One named rejection: the position in the batch and the reasons as ingest-service gave them. */
  record Rejected(int index, String reasons) {}

  /** Whether every rejected event is named (ingest-service lists at most 100). */
  boolean complete() {
    return listed.size() == count;
  }

  /**
   * The rejection in {@code answer} for {@code batch}, or null when the answer is not
   * ingest-service's per-event answer for exactly this batch. Required: an object with a non-empty
   * {@code rejected} array; every entry's {@code index} inside the batch, distinct, and its {@code
   * eventId} (when present: null for an unreadable element) equal to that event's; integer {@code
   * accepted}, {@code duplicates} and {@code rejectedCount} adding up to the batch size, with at
   * least as many rejected as listed.
   */
  static PerEventRejection of(JsonNode answer, List<OutboxRecord> batch) {
    if (answer == null || !answer.isObject()) {
      return null;
    }
    JsonNode rejected = answer.get("rejected");
    JsonNode count = answer.get("rejectedCount");
    JsonNode accepted = answer.get("accepted");
    JsonNode duplicates = answer.get("duplicates");
    if (rejected == null || !rejected.isArray() || rejected.isEmpty()) {
      return null;
    }
    if (!isInt(count) || !isInt(accepted) || !isInt(duplicates)) {
      return null;
    }
    long total = count.asLong() + accepted.asLong() + duplicates.asLong();
    if (total != batch.size() || count.asLong() < rejected.size() || accepted.asLong() < 0) {
      return null;
    }
    List<Rejected> listed = new ArrayList<>(rejected.size());
    Set<Integer> seen = new HashSet<>();
    for (JsonNode r : rejected) {
      JsonNode index = r.get("index");
      if (!isInt(index) || index.asInt() < 0 || index.asInt() >= batch.size()) {
        return null;
      }
      int i = index.asInt();
      JsonNode id = r.get("eventId");
      if (id != null && !id.isNull() && !sameId(id.asText(), batch.get(i).eventId())) {
        return null;
      }
      if (!seen.add(i)) {
        return null;
      }
      JsonNode reasons = r.get("reasons");
      listed.add(new Rejected(i, reasons == null ? "[]" : reasons.toString()));
    }
    return new PerEventRejection(count.asLong(), List.copyOf(listed));
  }

  private static boolean isInt(JsonNode n) {
    return n != null && n.isIntegralNumber();
  }

  private static boolean sameId(String a, String b) {
    return b != null && a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
  }
}
