package io.kubefim.ingest.pipeline;

import java.time.Duration;
import java.util.Optional;

/**
 * A sink did not take a batch. Always retryable from the agent's point of view: the HTTP answer is
 * 503 with Retry-After, the agent keeps the batch. {@link #retryAfter} is the sink's best guess
 * (Azure's Retry-After), empty when it has none.
 */
public class SinkException extends Exception {
  private final String sink;
  private final transient Duration retryAfter;

  public SinkException(String sink, String message, Duration retryAfter, Throwable cause) {
    super(sink + ": " + message, cause);
    this.sink = sink;
    this.retryAfter = retryAfter;
  }

  public String sink() {
    return sink;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
