package io.kubefim.ingest.receive;

import io.kubefim.api.auth.AuthDecision;
import io.kubefim.ingest.IngestConfig;
import io.kubefim.ingest.auth.Access;
import io.kubefim.ingest.auth.AgentAuth;
import io.kubefim.ingest.pipeline.IngestBatch;
import io.kubefim.ingest.pipeline.Pipeline;
import io.kubefim.ingest.pipeline.SinkException;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * {@code POST /v1/events}: the agents' way in. Order of work, cheapest refusal first: admission
 * (429), content type and encoding (415), bounded read (413), parse (400), validate, dedup, enrich,
 * then the channel; the answer waits until every sink took the batch (202) or failed or the ack
 * timeout passed (503 with Retry-After). Before all of it, authentication (SPEC §7): 401 without a
 * valid agent token, 403 when a batch holds events of another node than the token's.
 */
@Path("/v1")
public class EventsResource {
  private static final Logger LOG = Logger.getLogger(EventsResource.class);
  static final int TOO_MANY_REQUESTS = 429;

  private final Pipeline pipeline;
  private final BodyReader reader;
  private final BatchParser parser;
  private final BatchChecker checker;
  private final Duration ackTimeout;
  private final Duration retryAfter;
  private final MeterRegistry metrics;
  private final AgentAuth auth;

  @Inject
  public EventsResource(
      IngestConfig config, Pipeline pipeline, MeterRegistry metrics, AgentAuth auth) {
    this.auth = auth;
    this.pipeline = pipeline;
    this.metrics = metrics;
    this.reader = new BodyReader(config.receive().maxRequestBytes());
    this.parser = new BatchParser(config.receive().maxEventsPerBatch());
    this.checker =
        new BatchChecker(
            new EventValidator(
                config.receive().maxPathChars(),
                config.receive().maxTextChars(),
                config.receive().maxFutureSkew(),
                java.time.Clock.systemUTC()),
            config.azureResourceId(),
            config.clusterName());
    this.ackTimeout = config.pipeline().ackTimeout();
    this.retryAfter = config.pipeline().retryAfter();
  }

  @POST
  @Path("/events")
  @Access(Access.Caller.AGENT)
  @Blocking
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Response post(
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
      @Context RoutingContext routing,
      InputStream body) {
    try {
      return answer(
          AdmissionGate.ticketOf(routing),
          authorization,
          contentType,
          contentEncoding,
          contentLength,
          body);
    } finally {
      UnreadBody.dropAfterAnswer(routing);
    }
  }

  private Response answer(
      Optional<Pipeline.Ticket> fromGate,
      String authorization,
      String contentType,
      String contentEncoding,
      Long contentLength,
      InputStream body) {
    // the gate admitted the request where it arrived; a call that did not pass it is admitted here
    Optional<Pipeline.Ticket> admitted = fromGate.or(pipeline::tryAdmit);
    if (admitted.isEmpty()) {
      return throttled(AdmissionGate.noPermit(pipeline));
    }
    try (Pipeline.Ticket ticket = admitted.get()) {
      AuthDecision caller = auth.identify(authorization);
      if (!caller.allowed()) {
        count("unauthorized", 0);
        Response.ResponseBuilder r =
            Response.status(caller.status()).entity(IngestResult.error(caller.reason()));
        if (caller.status() == 401) {
          r.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return caller.status() == 503 ? withRetryAfter(r, retryAfter, caller.reason()) : r.build();
      }
      return handle(
          ticket,
          contentType,
          contentEncoding,
          contentLength == null ? -1 : contentLength,
          body,
          caller.node());
    }
  }

  private Response handle(
      Pipeline.Ticket ticket,
      String contentType,
      String contentEncoding,
      long contentLength,
      InputStream body,
      String callerNode) {
    Optional<BatchFormat> format = BatchFormat.of(contentType);
    if (format.isEmpty()) {
      return refuse(
          Response.Status.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type "
              + (contentType == null ? "missing" : "\"" + contentType + "\" not supported")
              + ": send application/json (an array) or application/x-ndjson");
    }
    boolean gzip;
    String encoding =
        contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
    switch (encoding) {
      case "", "identity" -> gzip = false;
      case "gzip", "x-gzip" -> gzip = true;
      default -> {
        return refuse(
            Response.Status.UNSUPPORTED_MEDIA_TYPE,
            "Content-Encoding \"" + contentEncoding + "\" not supported: send gzip or identity");
      }
    }
    List<BatchParser.Item> items;
    try {
      items = parser.parse(reader.read(body, gzip, contentLength, ticket::charge), format.get());
    } catch (BodyOverBudgetException e) {
      return throttled(e.getMessage());
    } catch (BodyTooLargeException e) {
      return refuse(Response.Status.REQUEST_ENTITY_TOO_LARGE, e.getMessage());
    } catch (MalformedBodyException e) {
      return refuse(Response.Status.BAD_REQUEST, e.getMessage());
    } catch (IOException e) {
      return refuse(Response.Status.BAD_REQUEST, "body could not be read: " + e.getMessage());
    }
    Optional<String> foreign = foreignComputer(items, callerNode);
    if (foreign.isPresent()) {
      count("forbidden", items.size());
      return refuse(Response.Status.FORBIDDEN, foreign.get());
    }
    BatchChecker.Checked checked = checker.check(items, pipeline::recentlyDelivered);
    // the parsed trees take several times the body's bytes: let them go before the wait for the
    // sinks, so that what an admitted batch holds is its events (what the byte budget was sized
    // for)
    items = null;
    String batchId = UUID.randomUUID().toString();
    if (!checked.events().isEmpty()) {
      Optional<Response> failure = deliver(ticket, new IngestBatch(batchId, checked.events()));
      if (failure.isPresent()) {
        return failure.get();
      }
    }
    count("accepted", checked.events().size());
    count("duplicate", checked.duplicates());
    count("rejected", checked.rejected().size());
    IngestResult result =
        IngestResult.of(checked.events().size(), checked.duplicates(), checked.rejected());
    if (!checked.rejected().isEmpty()) {
      LOG.infof(
          "batch=%s accepted=%d rejected=%d first=%s",
          batchId, checked.events().size(), checked.rejected().size(), checked.rejected().get(0));
      return Response.status(Response.Status.BAD_REQUEST).entity(result).build();
    }
    return Response.accepted(result).build();
  }

  /**
   * The refusal when an event names another Computer than the caller's node (null: any node, as in
   * local mode). The whole batch is refused: an agent never mixes nodes, so this is not a typo.
   */
  static Optional<String> foreignComputer(List<BatchParser.Item> items, String callerNode) {
    if (callerNode == null) {
      return Optional.empty();
    }
    for (BatchParser.Item item : items) {
      if (item.node() == null || !item.node().hasNonNull("Computer")) {
        continue; // the validator reports it
      }
      String computer = item.node().get("Computer").asText();
      if (!computer.equals(callerNode)) {
        return Optional.of(
            "events["
                + item.index()
                + "].Computer: the token of node "
                + callerNode
                + " may not report events of node "
                + computer);
      }
    }
    return Optional.empty();
  }

  /** Empty when every sink took the batch; else the 503 to answer. */
  private Optional<Response> deliver(Pipeline.Ticket ticket, IngestBatch batch) {
    try {
      ticket.submit(batch).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (TimeoutException e) {
      count("timeout", batch.events().size());
      return Optional.of(
          unavailable(
              retryAfter,
              "the sinks did not take the batch within " + ackTimeout.toSeconds() + "s; retry"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(unavailable(retryAfter, "shutting down; retry"));
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      count("sink_failed", batch.events().size());
      Duration wait = retryAfter;
      if (cause instanceof SinkException se && se.retryAfter().isPresent()) {
        wait = se.retryAfter().get().compareTo(retryAfter) > 0 ? se.retryAfter().get() : retryAfter;
      }
      return Optional.of(unavailable(wait, "not taken by a sink, retry: " + cause.getMessage()));
    }
  }

  private void count(String outcome, int events) {
    countOutcome(metrics, outcome, events);
  }

  /** Counts a request's outcome: {@code kubefim_ingest_events_total{outcome}} and throttles. */
  static void countOutcome(MeterRegistry metrics, String outcome, int events) {
    metrics.counter("kubefim.ingest.events", "outcome", outcome).increment(Math.max(events, 0));
    if ("throttled".equals(outcome)) {
      metrics.counter("kubefim.ingest.requests.throttled").increment();
    }
  }

  /** Retry-After in whole seconds, at least 1. */
  static long retryAfterSeconds(Duration wait) {
    return Math.max(1, (wait.toMillis() + 999) / 1000);
  }

  /** 429 with Retry-After: the pipeline has no room for this batch now. */
  private Response throttled(String message) {
    count("throttled", 0);
    return withRetryAfter(Response.status(TOO_MANY_REQUESTS), retryAfter, message);
  }

  private static Response refuse(Response.Status status, String message) {
    return Response.status(status).entity(IngestResult.error(message)).build();
  }

  private static Response unavailable(Duration wait, String message) {
    return withRetryAfter(Response.status(Response.Status.SERVICE_UNAVAILABLE), wait, message);
  }

  private static Response withRetryAfter(
      Response.ResponseBuilder builder, Duration wait, String message) {
    return builder
        .header("Retry-After", Long.toString(retryAfterSeconds(wait)))
        .entity(IngestResult.error(message))
        .type(MediaType.APPLICATION_JSON)
        .build();
  }
}
