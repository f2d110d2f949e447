package io.kubefim.agent.ship;

import io.kubefim.agent.baseline.OutboxRecord;
import java.io.IOException;
import java.util.List;

/**
 * Takes events out of the outbox. {@link #send} returns only once the batch is durable on the other
 * side (NDJSON: written and flushed; HTTP: 202 from ingest-service, see {@link HttpSink}); the
 * drainer deletes the rows only then. A failure leaves them for the next attempt, so delivery is at
 * least once.
 */
public interface Sink extends AutoCloseable {
  void send(List<OutboxRecord> batch) throws IOException;

  /**
   * Whether the drainer makes one last attempt on stop. True for local output; false for a remote
   * sink, whose wait could outlast the pod's grace period (the outbox keeps the events anyway).
   */
  default boolean drainOnStop() {
    return true;
  }

  @Override
  default void close() throws IOException {}
}
