package io.kubefim.agent.ship;

import java.io.IOException;

/**
 * The sink refused the batch as a whole for its size or shape (HTTP 413): the drainer halves the
 * batch and tries again. Never thrown for a batch of one event (the sink dead-letters that).
 */
public final class BatchTooLargeException extends IOException {
  public BatchTooLargeException(String message) {
    super(message);
  }
}
