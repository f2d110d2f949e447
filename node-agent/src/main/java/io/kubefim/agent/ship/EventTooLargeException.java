package io.kubefim.agent.ship;

import java.io.IOException;

/**
 * A batch of one event was refused as too large (HTTP 413, from ingest-service or a proxy in front
 * of it). The event is not dropped: the drainer keeps it and retries with back-off, so an operator
 * can raise the limit and lose nothing.
 */
public final class EventTooLargeException extends IOException {
  public EventTooLargeException(String message) {
    super(message);
  }
}
