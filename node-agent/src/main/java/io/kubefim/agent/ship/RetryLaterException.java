package io.kubefim.agent.ship;

import java.io.IOException;

/**
 * The sink did not take the batch and says when to try again (HTTP 429/503 with {@code
 * Retry-After}). The drainer waits that long and sends the same batch again.
 */
public final class RetryLaterException extends IOException {
  private final long delayMillis;

  public RetryLaterException(String message, long delayMillis) {
    super(message);
    this.delayMillis = delayMillis;
  }

  public long delayMillis() {
    return delayMillis;
  }
}
