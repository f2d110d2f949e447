package io.kubefim.ingest.receive;

import java.util.Locale;
import java.util.Optional;

/** The two body formats of {@code POST /v1/events}, chosen by Content-Type. */
public enum BatchFormat {
  /** {@code application/json}: one JSON array of event objects. */
  JSON_ARRAY,
  /**
   * {@code application/x-ndjson} (also application/ndjson, application/jsonl): one object a line.
   */
  NDJSON;

  /** The format for a Content-Type header value (parameters such as charset ignored). */
  public static Optional<BatchFormat> of(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "application/json" -> Optional.of(JSON_ARRAY);
      case "application/x-ndjson",
          "application/ndjson",
          "application/jsonl",
          "application/x-jsonl" ->
          Optional.of(NDJSON);
      default -> Optional.empty();
    };
  }
}
