package io.kubefim.ingest.azure;

import com.azure.core.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads the wait a service asks for: retry-after-ms, x-ms-retry-after-ms, or Retry-After. */
final class RetryAfter {
  private RetryAfter() {}

  static Optional<Duration> of(HttpResponse response) {
    if (response == null) {
      return Optional.empty();
    }
    for (String ms : new String[] {"retry-after-ms", "x-ms-retry-after-ms"}) {
      String v = response.getHeaderValue(ms);
      if (v != null) {
        try {
          return Optional.of(Duration.ofMillis(Long.parseLong(v.trim())));
        } catch (NumberFormatException e) {
          // try the next header
        }
      }
    }
    return parse(response.getHeaderValue("Retry-After"));
  }

  /** Seconds or an HTTP date. */
  static Optional<Duration> parse(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException ignored) {
        return Optional.empty();
      }
    }
  }
}
