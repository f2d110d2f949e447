package io.kubefim.ingest.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import io.kubefim.ingest.IngestConfig;
import io.kubefim.ingest.IngestConfig.SinkKind;
import io.kubefim.ingest.pipeline.Acked;
import io.kubefim.ingest.pipeline.IngestBatch;
import io.kubefim.ingest.pipeline.SinkDispatcher;
import io.kubefim.ingest.pipeline.SinkException;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * The {@code kafka} sink: one record per event on {@code kubefim.ingest.kafka.topic}, key = the
 * event's Computer (so one node's events stay in order on one partition), value = the event's JSON
 * in the wire form of {@code POST /v1/events} ({@link Json#mapper()}).
 *
 * <p>Channel {@value #CHANNEL} (SmallRye Kafka connector, see application.properties): idempotent
 * producer, {@code acks=all}. Acknowledgement contract: each record's message is acked by the
 * connector when the broker acknowledged the record (every in-sync replica has it) and nacked when
 * the producer gave up ({@code delivery.timeout.ms}). {@link #accept} returns only when every
 * record of the batch was acked; a nack, or no answer within the delivery timeout (plus a margin),
 * fails the batch: the request answers 503 and the agent retries it. Records of a failed batch that
 * reach the broker later stay there: the topic is at-least-once, consumers dedup by EventId (the
 * relay does). Thread-safe; blocks the calling lane.
 */
@ApplicationScoped
public class KafkaSink implements SinkDispatcher.KindedSink {
  /** The outgoing channel to the topic. */
  public static final String CHANNEL = "kubefim-kafka-out";

  /** Waited beyond the producer's delivery timeout for its verdict before failing on our own. */
  static final Duration VERDICT_MARGIN = Duration.ofSeconds(2);

  private final ObjectMapper mapper = Json.mapper();
  private final Duration wait;

  private final KafkaOut out;

  @Inject
  public KafkaSink(IngestConfig config, KafkaOut out) {
    this.wait = config.kafka().deliveryTimeout().plus(VERDICT_MARGIN);
    this.out = out;
  }

  @Override
  public SinkKind kind() {
    return SinkKind.KAFKA;
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public void accept(IngestBatch batch) throws SinkException {
    List<CompletableFuture<Void>> acks = new ArrayList<>(batch.events().size());
    try {
      for (FimEvent event : batch.events()) {
        acks.add(send(event));
      }
    } catch (JsonProcessingException e) {
      throw new SinkException(name(), "event not serializable: " + e.getMessage(), null, e);
    } catch (RuntimeException e) { // emitter cancelled or terminated (shutting down)
      throw new SinkException(name(), "producer unavailable: " + e.getMessage(), null, e);
    }
    try {
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
          .get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new SinkException(
          name(), "broker did not take the batch: " + cause.getMessage(), null, cause);
    } catch (TimeoutException e) {
      long done = acks.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
      throw new SinkException(
          name(),
          "broker acknowledged " + done + " of " + acks.size() + " records within " + wait,
          null,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SinkException(name(), "interrupted", null, e);
    }
  }

  private CompletableFuture<Void> send(FimEvent event) throws JsonProcessingException {
    String json = mapper.writeValueAsString(event);
    CompletableFuture<Void> acked = new CompletableFuture<>();
    OutgoingKafkaRecordMetadata<String> key =
        OutgoingKafkaRecordMetadata.<String>builder().withKey(event.getComputer()).build();
    out.send(Acked.message(json, Metadata.of(key), acked));
    return acked;
  }
}
