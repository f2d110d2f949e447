package io.kubefim.ingest.web;

import java.time.Duration;
import java.util.Optional;

/** The time windows the pages offer ({@code ?window=}); 24h when absent. */
public enum Window {
  H24("24h", Duration.ofHours(24)),
  D7("7d", Duration.ofDays(7)),
  D14("14d", Duration.ofDays(14));

  public static final Window DEFAULT = H24;

  private final String param;
  private final Duration length;

  Window(String param, Duration length) {
    this.param = param;
    this.length = length;
  }

  /** The value in the query string. */
  public String param() {
    return param;
  }

  public Duration length() {
    return length;
  }

  /** The window named by {@code param}; the default when blank; empty when unknown. */
  public static Optional<Window> parse(String param) {
    if (param == null || param.isBlank()) {
      return Optional.of(DEFAULT);
    }
    for (Window w : values()) {
      if (w.param.equals(param.trim())) {
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }
}
