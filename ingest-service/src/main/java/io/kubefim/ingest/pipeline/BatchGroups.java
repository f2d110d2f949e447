package io.kubefim.ingest.pipeline;

import io.kubefim.ingest.IngestConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The consuming end of channel {@value Pipeline#CHANNEL}: each batch joins the queue of {@link
 * GroupDelivery}, whose lanes ({@code kubefim.ingest.pipeline.sink-lanes}) deliver what is waiting
 * as groups of up to {@code max-group-events} events through {@link SinkDispatcher}. The message is
 * acked (manually) when its group is in every sink, nacked with the sink's exception otherwise;
 * that is the channel's acknowledgement contract (see {@link Pipeline}).
 */
@ApplicationScoped
public class BatchGroups {
  private final GroupDelivery groups;

  @Inject
  public BatchGroups(IngestConfig config, SinkDispatcher dispatcher, MeterRegistry metrics) {
    this.groups =
        new GroupDelivery(
            dispatcher::deliver,
            config.pipeline().maxGroupEvents(),
            config.pipeline().sinkLanes(),
            SinkDispatcher.SINK_POOL,
            metrics);
  }

  @Incoming(Pipeline.CHANNEL)
  @Acknowledgment(Acknowledgment.Strategy.MANUAL)
  public CompletionStage<Void> receive(Message<IngestBatch> message) {
    groups.submit(message);
    return CompletableFuture.completedFuture(null);
  }

  @PreDestroy
  void stop() {
    groups.close();
  }
}
