package io.kubefim.ingest.pipeline;

import io.kubefim.api.event.FimEvent;
import io.kubefim.ingest.IngestConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The receiving end of channel {@value #CHANNEL}: admission, then one {@link Message} per batch
 * whose ack completes the submitter's future and whose nack fails it with the sink's exception.
 *
 * <p>Acknowledgement contract of the channel: the message is acked by {@link SinkDispatcher} after
 * every configured sink returned from {@link Sink#accept} (durable), and nacked with the first
 * sink's {@link SinkException} otherwise. Nothing in the channel is retried or dead-lettered by the
 * service: the failure travels back to the HTTP request, which answers 503 with Retry-After, and
 * the agent (whose spool is the durable queue) retries. The emitter buffer never overflows:
 * admission holds in-flight batches to {@code max-in-flight-batches}, below the buffer size, and
 * their bodies to {@code max-in-flight-bytes} ({@link Ticket#charge}). The consuming end delivers
 * the batches that are waiting together ({@link BatchGroups}).
 */
@ApplicationScoped
public class Pipeline {
  /** The in-process channel from the receiver to the sinks. */
  public static final String CHANNEL = "ingest-batches";

  /** Emitter buffer; {@code max-in-flight-batches} must stay below it. */
  static final int EMITTER_BUFFER = 1024;

  private final Admission admission;
  private volatile Runnable permitFreed = () -> {};
  private final RecentEventIds recent;

  @Inject
  @Channel(CHANNEL)
  @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = EMITTER_BUFFER)
  Emitter<IngestBatch> emitter;

  @Inject
  public Pipeline(IngestConfig config, MeterRegistry metrics) {
    int max = config.pipeline().maxInFlightBatches();
    if (max >= EMITTER_BUFFER) {
      throw new IllegalArgumentException(
          "kubefim.ingest.pipeline.max-in-flight-batches must be below " + EMITTER_BUFFER);
    }
    long maxBytes = config.pipeline().maxInFlightBytes();
    if (maxBytes < config.receive().maxRequestBytes()) {
      throw new IllegalArgumentException(
          "kubefim.ingest.pipeline.max-in-flight-bytes ("
              + maxBytes
              + ") must be at least kubefim.ingest.receive.max-request-bytes ("
              + config.receive().maxRequestBytes()
              + "), or a body of the largest allowed size could never be admitted");
    }
    this.admission = new Admission(max, maxBytes);
    Gauge.builder("kubefim.ingest.pipeline.in-flight", admission, Admission::inFlight)
        .description("admitted batches not yet answered")
        .register(metrics);
    this.recent = new RecentEventIds(config.pipeline().recentEventIds());
  }

  /** A permit for one batch, or empty when the pipeline is full (answer 429). */
  public Optional<Ticket> tryAdmit() {
    return admission.tryEnter() ? Optional.of(new Ticket()) : Optional.empty();
  }

  /** True when the event was delivered to every sink recently (a retry). */
  public boolean recentlyDelivered(String eventId) {
    return recent.contains(eventId);
  }

  public Admission admission() {
    return admission;
  }

  /** Called (on any thread) each time a ticket gives its permit back. */
  public void onPermitFreed(Runnable listener) {
    this.permitFreed = listener;
  }

  /**
   * One admitted batch. Close it in a finally block: a ticket that was never submitted gives its
   * permit back on close; a submitted one gives it back when the sinks have answered (so a request
   * that timed out still holds its permit until the sinks are done: memory stays bounded).
   */
  public final class Ticket implements AutoCloseable {
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean submitted;
    private int chargedUnits;

    private Ticket() {}

    /**
     * Charges the byte budget up to {@code bodyBytes} read so far (called while the body is read);
     * false when the budget has no room left: refuse the request (429). What was charged goes back
     * with the permit.
     */
    public synchronized boolean charge(long bodyBytes) {
      if (released.get()) {
        return false; // the request ended under the reader (the client went away)
      }
      int want = Admission.unitsFor(bodyBytes) - chargedUnits;
      if (want <= 0) {
        return true;
      }
      if (!admission.tryCharge(want)) {
        return false;
      }
      chargedUnits += want;
      return true;
    }

    /**
     * Sends the batch into the channel. The future completes when every sink took it, or
     * exceptionally with the {@link SinkException} (or an emitter failure).
     */
    public CompletableFuture<Void> submit(IngestBatch batch) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      if (released.get()) { // the request ended before its batch was complete: nobody waits
        done.completeExceptionally(
            new SinkException(
                "pipeline", "the request ended before its batch was sent", null, null));
        return done;
      }
      submitted = true;
      done.whenComplete(
          (ok, failure) -> {
            if (failure == null) {
              recent.addAll(batch.events().stream().map(FimEvent::getEventId).toList());
            }
            release();
          });
      Message<IngestBatch> message = Acked.message(batch, Metadata.empty(), done);
      try {
        emitter.send(message);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
      return done;
    }

    private void release() {
      if (released.compareAndSet(false, true)) {
        synchronized (this) {
          admission.refund(chargedUnits);
          chargedUnits = 0;
        }
        admission.release();
        permitFreed.run();
      }
    }

    @Override
    public void close() {
      if (!submitted) {
        release();
      }
    }
  }
}
