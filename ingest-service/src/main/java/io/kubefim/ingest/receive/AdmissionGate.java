package io.kubefim.ingest.receive;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kubefim.api.json.Json;
import io.kubefim.ingest.IngestConfig;
import io.kubefim.ingest.pipeline.Pipeline;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Admission where a request arrives, on the event loop, before it waits for a worker thread.
 * Without this, requests beyond the worker pool (200 threads) queued for a worker, uncounted and
 * unbounded, and admission never refused anything: 5,000 agents got their answers many seconds late
 * instead of a Retry-After, and the queue grew with the fleet (bench/fleet/ship.sh).
 *
 * <p>A request that finds no batch permit waits for one in arrival order, at most {@code
 * pipeline.admission-wait} and at most {@code pipeline.max-waiting} requests (its body unread: the
 * router holds the request paused), then is answered 429 with Retry-After. A freed permit goes to
 * the longest waiter, so under a flood the core stays busy and no agent is refused time after time
 * while newer ones get in. The ticket goes to {@link EventsResource} through the routing context;
 * the request's end gives it back if the resource never took it (the client went away, the
 * framework refused the body).
 */
@ApplicationScoped
public class AdmissionGate {
  private static final String TICKET = "kubefim.ingest.ticket";

  private final Pipeline pipeline;
  private final MeterRegistry metrics;
  private final Vertx vertx;
  private final Duration retryAfter;
  private final long waitMillis;
  private final int maxWaiting;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>(); // guarded by this
  private volatile boolean listening;

  /** A request waiting for a permit, the event loop it belongs to and its time-out timer. */
  private static final class Waiter {
    final RoutingContext routing;
    final Context context;
    long timer;

    Waiter(RoutingContext routing, Context context) {
      this.routing = routing;
      this.context = context;
    }
  }

  @Inject
  public AdmissionGate(Pipeline pipeline, MeterRegistry metrics, IngestConfig config, Vertx vertx) {
    this.pipeline = pipeline;
    this.metrics = metrics;
    this.vertx = vertx;
    this.retryAfter = config.pipeline().retryAfter();
    this.waitMillis = config.pipeline().admissionWait().toMillis();
    this.maxWaiting = config.pipeline().maxWaiting();
    Gauge.builder("kubefim.ingest.pipeline.admission.waiting", this, AdmissionGate::waitingNow)
        .description("requests waiting for a batch permit")
        .register(metrics);
  }

  void install(@Observes Router router) {
    router.route(HttpMethod.POST, "/v1/events").order(-100).handler(this::admit);
  }

  private void admit(RoutingContext routing) {
    if (!listening) { // not at start-up: the pipeline's channel is not ready when routes are
      pipeline.onPermitFreed(this::handOver);
      listening = true;
    }
    Optional<Pipeline.Ticket> admitted = Optional.empty();
    Waiter waiter = null;
    synchronized (this) {
      if (waiting.isEmpty()) { // newcomers do not pass those already waiting
        admitted = pipeline.tryAdmit();
      }
      if (admitted.isEmpty() && waitMillis > 0 && waiting.size() < maxWaiting) {
        waiter = new Waiter(routing, Vertx.currentContext());
        waiting.addLast(waiter);
      }
    }
    if (admitted.isPresent()) {
      pass(routing, admitted.get());
    } else if (waiter == null) {
      refuse(routing);
    } else {
      Waiter w = waiter;
      w.timer = vertx.setTimer(waitMillis, id -> timedOut(w));
      handOver(); // a permit freed between the try and the queueing
    }
  }

  /** Gives free permits to the longest waiters, each on its own event loop. */
  private void handOver() {
    while (true) {
      Waiter w;
      Pipeline.Ticket ticket;
      synchronized (this) {
        if (waiting.isEmpty()) {
          return;
        }
        Optional<Pipeline.Ticket> t = pipeline.tryAdmit();
        if (t.isEmpty()) {
          return;
        }
        ticket = t.get();
        w = waiting.pollFirst();
      }
      w.context.runOnContext(
          v -> {
            vertx.cancelTimer(w.timer);
            if (w.routing.response().closed() || w.routing.response().ended()) {
              ticket.close(); // the client went away while waiting
              return;
            }
            pass(w.routing, ticket);
          });
    }
  }

  private void timedOut(Waiter w) {
    boolean mine;
    synchronized (this) {
      mine = waiting.remove(w); // false: a permit was handed over at the same moment
    }
    if (mine && !w.routing.response().closed()) {
      refuse(w.routing);
    }
  }

  private synchronized int waitingNow() {
    return waiting.size();
  }

  private void pass(RoutingContext routing, Pipeline.Ticket ticket) {
    routing.put(TICKET, ticket);
    routing.addEndHandler(done -> ticket.close()); // a no-op once the resource closed it
    routing.next();
  }

  private void refuse(RoutingContext routing) {
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
