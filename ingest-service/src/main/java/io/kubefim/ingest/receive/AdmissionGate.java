package io.kubefim.ingest.receive;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kubefim.api.json.Json;
import io.kubefim.ingest.IngestConfig;
import io.kubefim.ingest.pipeline.Pipeline;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;

/**
 * Admission where a request arrives, on the event loop, before it waits for a worker thread: a
 * request that finds no batch permit is answered 429 at once. Without this, requests beyond the
 * worker pool (200 threads) queued for a worker, uncounted and unbounded, and admission never
 * refused anything: 5,000 agents got their answers tens of seconds late instead of a Retry-After
 * (bench/fleet/ship.sh). The ticket goes to {@link EventsResource} through the routing context; the
 * request's end gives it back if the resource never took it (the client went away, the framework
 * refused the body).
 */
@ApplicationScoped
public class AdmissionGate {
  private static final String TICKET = "kubefim.ingest.ticket";

  private final Pipeline pipeline;
  private final MeterRegistry metrics;
  private final Duration retryAfter;

  @Inject
  public AdmissionGate(Pipeline pipeline, MeterRegistry metrics, IngestConfig config) {
    this.pipeline = pipeline;
    this.metrics = metrics;
    this.retryAfter = config.pipeline().retryAfter();
  }

  void install(@Observes Router router) {
    router.route(HttpMethod.POST, "/v1/events").order(-100).handler(this::admit);
  }

  private void admit(RoutingContext routing) {
    Optional<Pipeline.Ticket> admitted = pipeline.tryAdmit();
    if (admitted.isEmpty()) {
      EventsResource.countOutcome(metrics, "throttled", 0);
      String body;
      try {
        body = Json.mapper().writeValueAsString(IngestResult.error(noPermit(pipeline)));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      UnreadBody.dropAfterAnswer(routing);
      routing
          .response()
          .setStatusCode(EventsResource.TOO_MANY_REQUESTS)
          .putHeader("Retry-After", Long.toString(EventsResource.retryAfterSeconds(retryAfter)))
          .putHeader("Content-Type", "application/json")
          .end(body);
      return;
    }
    Pipeline.Ticket ticket = admitted.get();
    routing.put(TICKET, ticket);
    routing.addEndHandler(done -> ticket.close()); // a no-op once the resource closed it
    routing.next();
  }

  /** The ticket the gate took for this request, if it went through the gate. */
  static Optional<Pipeline.Ticket> ticketOf(RoutingContext routing) {
    return routing == null ? Optional.empty() : Optional.ofNullable(routing.get(TICKET));
  }

  static String noPermit(Pipeline pipeline) {
    return "the pipeline is full ("
        + pipeline.admission().capacity()
        + " batches in flight), retry later";
  }
}
