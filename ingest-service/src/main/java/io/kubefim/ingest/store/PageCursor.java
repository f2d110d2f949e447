package io.kubefim.ingest.store;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A keyset position in newest-first order: a page continues with events strictly older than
 * (timeGenerated, seq). Text form {@code <RFC 3339 instant>_<seq>}, e.g. {@code
 * 2024-05-01T10:15:30.123Z_42}, safe in a URL query.
 */
public record PageCursor(Instant timeGenerated, long seq) {

  public String text() {
    return timeGenerated + "_" + seq;
  }

  /** The cursor in {@code text}, or empty when it is not one. */
  public static Optional<PageCursor> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int cut = text.lastIndexOf('_');
    if (cut <= 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new PageCursor(
              Instant.parse(text.substring(0, cut)), Long.parseLong(text.substring(cut + 1))));
    } catch (DateTimeParseException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
