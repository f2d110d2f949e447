package io.kubefim.ingest.pipeline;

import io.kubefim.api.event.FimEvent;
import java.util.List;

/**
 * A validated, deduplicated, enriched batch on its way to the sinks. Immutable list; the events in
 * it are not modified after the receiver hands the batch to the channel.
 *
 * @param id a request-scoped id for logs
 * @param events the events, in the order the agent sent them
 */
public record IngestBatch(String id, List<FimEvent> events) {
  public IngestBatch {
    events = List.copyOf(events);
  }
}
