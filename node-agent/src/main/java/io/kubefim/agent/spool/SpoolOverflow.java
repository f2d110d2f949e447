package io.kubefim.agent.spool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kubefim.agent.engine.EventFactory;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The notice for a full spool: when the outbox would pass its byte limit, the store drops the
 * oldest events and records one CoverageGap agent event saying how many and from when to when, in
 * the same transaction, so the loss is never silent. A notice that is itself dropped by a later
 * overflow is folded into the new one (its count and start time carry over).
 *
 * <p>Use: one {@link Dropped} per overflow, fed the dropped rows oldest first, then {@link
 * #notice}. Thread-safe (no state but the factory's).
 */
public final class SpoolOverflow {
  /** The CoverageGap's ErrorMessage, which marks a spool overflow notice. */
  public static final String CODE = "SPOOL_OVERFLOW";

  private static final Pattern PREVIOUS =
      Pattern.compile("dropped (\\d+) oldest events from (\\S+) to (\\S+)");
  private final EventFactory events;
  private final long limitBytes;

  public SpoolOverflow(EventFactory events, long limitBytes) {
    this.events = events;
    this.limitBytes = limitBytes;
  }

  public long limitBytes() {
    return limitBytes;
  }

  /** What one overflow dropped. */
  public static final class Dropped {
    long count;
    long fresh;
    long bytes;
    Instant from;
    Instant to;

    /** One dropped outbox row (its JSON), oldest first. */
    public void add(String json, long rowBytes) {
      bytes += rowBytes;
      JsonNode e = parse(json);
      Instant t = time(e == null ? null : e.path("TimeGenerated").asText(null));
      if (e != null
          && CODE.equals(e.path("ErrorMessage").asText(null))
          && "CoverageGap".equals(e.path("ChangeType").asText(null))) {
        Matcher m = PREVIOUS.matcher(e.path("Details").asText(""));
        if (m.find()) {
          count += Long.parseLong(m.group(1));
          widen(time(m.group(2)));
          widen(time(m.group(3)));
          return;
        }
      }
      count++;
      fresh++;
      widen(t);
    }

    private void widen(Instant t) {
      if (t == null) {
        return;
      }
      if (from == null || t.isBefore(from)) {
        from = t;
      }
      if (to == null || t.isAfter(to)) {
        to = t;
      }
    }

    /** Events the notice speaks for, including those of folded earlier notices. */
    public long count() {
      return count;
    }

    /** Events dropped by this overflow itself. */
    public long fresh() {
      return fresh;
    }

    public long bytes() {
      return bytes;
    }

    private static JsonNode parse(String json) {
      try {
        return Json.mapper().readTree(json);
      } catch (JsonProcessingException e) {
        return null;
      }
    }

    private static Instant time(String s) {
      try {
        return s == null ? null : Instant.parse(s);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
  }

  /** The CoverageGap for what was dropped: (eventId, json). */
  public String[] notice(Dropped d) {
    FimEvent e =
        events.agent(
            ChangeType.CoverageGap,
            "spool full (limit "
                + limitBytes
                + " bytes, the sink has not taken events for a while): dropped "
                + d.count
                + " oldest events from "
                + d.from
                + " to "
                + d.to
                + " before they were delivered",
            CODE);
    try {
      return new String[] {e.getEventId(), Json.mapper().writeValueAsString(e)};
    } catch (JsonProcessingException x) {
      throw new IllegalStateException("notice not serializable", x);
    }
  }
}
