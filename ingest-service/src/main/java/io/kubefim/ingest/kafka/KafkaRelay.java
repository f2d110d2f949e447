package io.kubefim.ingest.kafka;

import io.kubefim.api.event.FimEvent;
import io.kubefim.ingest.IngestConfig;
import io.kubefim.ingest.pipeline.IngestBatch;
import io.kubefim.ingest.pipeline.RecentEventIds;
import io.kubefim.ingest.pipeline.SinkDispatcher;
import io.kubefim.ingest.pipeline.SinkException;
import io.kubefim.ingest.receive.EventValidator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Relay mode ({@code kubefim.ingest.kafka.relay.enabled=true}): consumes {@code
 * kubefim.ingest.kafka.topic} as consumer group {@code relay.group} and delivers the events to this
 * replica's sinks through {@link SinkDispatcher#deliver} (the same path as a POST).
 *
 * <p>Channel {@value #CHANNEL} (SmallRye Kafka connector, batch mode, up to {@code
 * relay.max-batch-events} records a poll; see application.properties). Acknowledgement and failure
 * strategy: a polled batch is acked only after every sink took its events; the {@code throttled}
 * commit strategy then commits the acked offsets, so a crash redelivers at most what was not yet
 * stored (at-least-once; the store dedups by EventId, and this relay drops EventIds it delivered
 * recently). A sink failure never nacks and never skips: the batch is delivered again on this
 * relay's thread with an exponential back-off ({@code relay.retry-initial-backoff} doubling to
 * {@code relay.retry-max-backoff}, or the sink's Retry-After when longer), until it goes; meanwhile
 * the method does not return, the connector's queue fills and it pauses the partitions (the
 * consumer keeps polling, so it stays in its group). Records that are not events are logged with
 * topic/partition/offset, counted ({@code kubefim.ingest.kafka.relay.malformed}) and skipped (acked
 * with their batch).
 *
 * <p>Threading: the connector calls {@link #relay} for one batch at a time (it waits for the
 * returned stage); delivery runs on the single {@value #THREAD} thread. Start-up refuses a relay
 * whose sinks include kafka ({@link RelayGuard}).
 */
@Startup
@ApplicationScoped
public class KafkaRelay {
  /** The incoming channel from the topic. */
  public static final String CHANNEL = "kubefim-kafka-relay";

  /** The relay's delivery thread. */
  static final String THREAD = "kubefim-relay";

  private static final Logger LOG = Logger.getLogger(KafkaRelay.class);

  private final SinkDispatcher dispatcher;
  private final EventValidator validator;
  private final RecentEventIds recent;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Counter malformed;
  private final Counter relayed;
  private final Counter retries;
  private final AtomicLong batches = new AtomicLong();
  private final ExecutorService thread;
  private volatile boolean closed;

  @Inject
  public KafkaRelay(IngestConfig config, SinkDispatcher dispatcher, MeterRegistry metrics) {
    IngestConfig.Kafka.Relay relay = config.kafka().relay();
    RelayGuard.problem(relay.enabled(), config.sinks())
        .ifPresent(
            p -> {
              throw new IllegalStateException(p);
            });
    this.dispatcher = dispatcher;
    this.validator =
        new EventValidator(config.receive().maxPathChars(), config.receive().maxTextChars());
    this.recent = new RecentEventIds(relay.enabled() ? config.pipeline().recentEventIds() : 0);
    this.initialBackoff = relay.retryInitialBackoff();
    this.maxBackoff = relay.retryMaxBackoff();
    this.malformed =
        Counter.builder("kubefim.ingest.kafka.relay.malformed")
            .description("records on the topic that are not events, skipped")
            .register(metrics);
    this.relayed =
        Counter.builder("kubefim.ingest.kafka.relay.events")
            .description("events the relay delivered to every sink")
            .register(metrics);
    this.retries =
        Counter.builder("kubefim.ingest.kafka.relay.retries")
            .description("deliveries of a relayed batch that a sink refused, retried")
            .register(metrics);
    this.thread =
        relay.enabled()
            ? Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, THREAD);
                  t.setDaemon(true);
                  return t;
                })
            : null;
    if (relay.enabled()) {
      LOG.infof(
          "relay topic=%s group=%s sinks=%s",
          config.kafka().topic(),
          relay.group(),
          dispatcher.sinks().stream().map(s -> s.name()).toList());
    }
  }

  @Incoming(CHANNEL)
  @Acknowledgment(Acknowledgment.Strategy.MANUAL)
  public CompletionStage<Void> relay(Message<List<String>> message) {
    @SuppressWarnings("unchecked")
    IncomingKafkaRecordBatchMetadata<String, String> batch =
        message.getMetadata(IncomingKafkaRecordBatchMetadata.class).orElseThrow();
    return CompletableFuture.supplyAsync(() -> deliverUntilTaken(batch.getRecords()), thread)
        .thenCompose(taken -> taken ? message.ack() : CompletableFuture.completedFuture(null));
  }

  /** True once every sink took the batch's events; false only when shutting down (not acked). */
  private boolean deliverUntilTaken(ConsumerRecords<String, String> records) {
    RelayRecords.Parsed parsed = RelayRecords.parse(records, validator, recent::contains);
    for (RelayRecords.Malformed m : parsed.malformed()) {
      malformed.increment();
      LOG.warnf(
          "relay skipped a record that is not an event: topic=%s partition=%d offset=%d reason=%s",
          m.topic(), m.partition(), m.offset(), m.reason());
    }
    if (parsed.events().isEmpty()) {
      return true;
    }
    IngestBatch batch = new IngestBatch("relay-" + batches.incrementAndGet(), parsed.events());
    Duration backoff = initialBackoff;
    for (int attempt = 1; !closed; attempt++) {
      try {
        dispatcher.deliver(batch);
        recent.addAll(batch.events().stream().map(FimEvent::getEventId).toList());
        relayed.increment(batch.events().size());
        if (attempt > 1) {
          LOG.infof("relay batch=%s delivered after %d attempts", batch.id(), attempt);
        }
        return true;
      } catch (Exception e) { // whatever a sink throws, the batch is kept and retried
        retries.increment();
        Duration wait = backoff;
        if (e instanceof SinkException se
            && se.retryAfter().isPresent()
            && se.retryAfter().get().compareTo(wait) > 0) {
          wait = se.retryAfter().get();
        }
        LOG.warnf(
            "relay batch=%s events=%d attempt=%d failed, retrying in %s: %s",
            batch.id(), batch.events().size(), attempt, wait, e.getMessage());
        if (!sleep(wait)) {
          return false;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(maxBackoff) > 0
                ? maxBackoff
                : backoff.multipliedBy(2);
      }
    }
    return false;
  }

  private boolean sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @PreDestroy
  void stop() {
    closed = true;
    if (thread != null) {
      thread.shutdownNow();
    }
  }
}
