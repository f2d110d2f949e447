package io.kubefim.ingest.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.api.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * One stored event with its position in the store's order (TimeGenerated, then arrival) and the
 * columns the store keeps beside its JSON.
 *
 * @param json the event as stored (wire format, SPEC §4)
 * @param changeExpected column change_expected: false when the agent did not label the change
 * @param expectedReason column expected_reason, may be null
 * @param reviewedAt when a reader marked it reviewed (V8, {@link ReviewStore}), null when not
 * @param reviewedBy who did, null when not
 */
public record StoredEvent(
    long seq,
    Instant timeGenerated,
    String json,
    boolean changeExpected,
    String expectedReason,
    Instant reviewedAt,
    String reviewedBy) {

  /** The columns {@link #read} expects, in its order. */
  static final String COLUMNS =
      "seq, time_generated, event_json, change_expected, expected_reason, reviewed_at,"
          + " reviewed_by";

  /** The row at the result set's cursor, selected as {@link #COLUMNS}. */
  static StoredEvent read(ResultSet rs) throws SQLException {
    return new StoredEvent(
        rs.getLong(1),
        rs.getObject(2, OffsetDateTime.class).toInstant(),
        rs.getString(3),
        rs.getBoolean(4),
        rs.getString(5),
        instant(rs.getObject(6, OffsetDateTime.class)),
        rs.getString(7));
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  /** The keyset cursor that continues after this event. */
  public PageCursor cursor() {
    return new PageCursor(timeGenerated, seq);
  }

  /**
   * The event as {@code GET /v1/events} answers it: its JSON with ChangeExpected always present
   * (from the column) and ExpectedReason when known; ReviewedAt and ReviewedBy (store fields, not
   * the agent's) once a reader marked it reviewed.
   */
  public String apiJson() {
    try {
      ObjectNode e = (ObjectNode) Json.mapper().readTree(json);
      e.put("ChangeExpected", changeExpected);
      if (expectedReason != null) {
        e.put("ExpectedReason", expectedReason);
      }
      if (reviewedAt != null) {
        e.put("ReviewedAt", reviewedAt.toString());
        e.put("ReviewedBy", reviewedBy);
      }
      return Json.mapper().writeValueAsString(e);
    } catch (JsonProcessingException | ClassCastException e) {
      throw new IllegalStateException("stored event " + seq + " is not a JSON object", e);
    }
  }
}
