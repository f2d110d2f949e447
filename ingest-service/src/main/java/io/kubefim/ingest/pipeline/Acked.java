package io.kubefim.ingest.pipeline;

import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/** Messages whose acknowledgement the sender waits for. */
public final class Acked {
  private Acked() {}

  /**
   * A message of {@code payload} whose ack completes {@code done} and whose nack completes it
   * exceptionally with the nack's reason.
   */
  public static <T> Message<T> message(T payload, Metadata metadata, CompletableFuture<Void> done) {
    return Message.of(
        payload,
        metadata,
        () -> {
          done.complete(null);
          return CompletableFuture.completedFuture(null);
        },
        failure -> {
          done.completeExceptionally(failure);
          return CompletableFuture.completedFuture(null);
        });
  }
}
