package io.kubefim.agent.ship;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubefim.agent.baseline.OutboxRecord;
import io.kubefim.agent.http.AgentMetrics;
import io.kubefim.agent.remote.RetryAfter;
import io.kubefim.agent.remote.TokenFile;
import io.kubefim.api.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPOutputStream;

/**
 * {@code --ingest-url}: posts a batch to ingest-service ({@code POST /v1/events}, a gzipped JSON
 * array, {@code Authorization: Bearer} from the token file) and maps the answer (docs/ingest.md):
 *
 * <ul>
 *   <li>202: taken durably; the drainer deletes the rows.
 *   <li>400 with ingest-service's own per-event answer ({@link PerEventRejection}: a {@code
 *       rejected} list whose indexes and EventIds match this batch, and counts that add up to it):
 *       the valid events were taken durably, the listed ones never will be. They are dead letters:
 *       logged with their reasons and counted, and the batch counts as delivered (a resend would
 *       only fail again). This is the only answer that drops an event.
 *   <li>400 with more rejections than listed: {@link BatchTooLargeException}, the drainer halves
 *       the batch until every rejection is named (nothing is dropped unnamed).
 *   <li>Any other 400 (no body, a proxy's HTML page, a whole-batch refusal): an {@link
 *       IOException}; the events stay in the outbox and the drainer backs off.
 *   <li>413 (from ingest-service or a proxy in front of it): {@link BatchTooLargeException}, the
 *       drainer halves the batch; a single event refused like this stays in the outbox and is
 *       retried with back-off ({@link EventTooLargeException}), never dropped.
 *   <li>429, 503: {@link RetryLaterException} with the {@code Retry-After}.
 *   <li>401, 403, 5xx, anything else, connection failures: an {@link IOException}, the drainer
 *       backs off and keeps the events (a token may be rotating).
 * </ul>
 *
 * Every whole-batch refusal that keeps the events counts in {@code
 * kubefim_agent_ship_refused_total}.
 *
 * <p>Thread-safe (the JDK client is); the drainer calls it from one thread.
 */
public final class HttpSink implements Sink {
  private static final Logger LOG = Logger.getLogger(HttpSink.class.getName());
  private static final long DEFAULT_RETRY_AFTER_MILLIS = 2000;
  private final URI uri;
  private final TokenFile token;
  private final AgentMetrics metrics;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param timeout per request; above ingest's ack timeout (30 s), which answers 503 by then
   */
  public HttpSink(String baseUrl, TokenFile token, AgentMetrics metrics, Duration timeout) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.uri = URI.create(base + "/v1/events");
    this.token = token;
    this.metrics = metrics;
    this.timeout = timeout;
    this.http = io.kubefim.agent.remote.Http.newClient(Duration.ofSeconds(10));
  }

  @Override
  public void send(List<OutboxRecord> batch) throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    HttpRequest.Builder req =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .POST(HttpRequest.BodyPublishers.ofByteArray(gzipArray(batch)));
    token.authorization().ifPresent(a -> req.header("Authorization", a));
    HttpResponse<String> resp;
    try {
      resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending to " + uri, e);
    }
    int code = resp.statusCode();
    String body = resp.body() == null ? "" : resp.body();
    switch (code) {
      case 200, 201, 202, 204 -> {
        metrics.shipped(batch.size());
        return;
      }
      case 400 -> {
        PerEventRejection rejection = PerEventRejection.of(parse(body), batch);
        if (rejection == null) {
          metrics.refusedWhole(code);
          throw new IOException(
              "ingest-service answered 400 without a per-event rejection list for this batch of "
                  + batch.size()
                  + " (a proxy, or the batch refused as a whole): "
                  + brief(body)
                  + "; events kept, retrying");
        }
        if (!rejection.complete() && batch.size() > 1) {
          throw new BatchTooLargeException(
              "ingest-service rejected "
                  + rejection.count()
                  + " events of a batch of "
                  + batch.size()
                  + " but named only "
                  + rejection.listed().size()
                  + ": splitting until each is named");
        }
        deadLetters(batch, rejection);
        return;
      }
      case 413 -> {
        metrics.refusedWhole(code);
        if (batch.size() > 1) {
          throw new BatchTooLargeException(
              "ingest-service refused a batch of "
                  + batch.size()
                  + " as too large (413): "
                  + brief(body));
        }
        throw new EventTooLargeException(
            "ingest-service (or a proxy before it) refuses one event as too large (413) eventId="
                + batch.get(0).eventId()
                + " bytes="
                + batch.get(0).json().length()
                + ": "
                + brief(body)
                + "; kept in the outbox and retried (raise the limit of the proxy or service)");
      }
      case 429, 503 -> {
        long delay =
            RetryAfter.parse(resp.headers().firstValue("Retry-After").orElse(null), Instant.now())
                .map(Duration::toMillis)
                .orElse(DEFAULT_RETRY_AFTER_MILLIS);
        throw new RetryLaterException(
            "ingest-service answered " + code + " (retry after " + delay + " ms): " + brief(body),
            delay);
      }
      case 401, 403 ->
          throw new IOException(
              "ingest-service refused the agent's credentials ("
                  + code
                  + "): "
                  + brief(body)
                  + "; events kept, retrying (a rotated token is read again)");
      default -> throw new IOException("ingest-service answered " + code + ": " + brief(body));
    }
  }

  /** 400 with per-event reasons: the rest of the batch was taken durably (docs/ingest.md). */
  private void deadLetters(List<OutboxRecord> batch, PerEventRejection rejection) {
    for (PerEventRejection.Rejected r : rejection.listed()) {
      deadLetter(batch.get(r.index()), r.reasons());
    }
    metrics.deadLettered(rejection.count());
    metrics.shipped(batch.size() - rejection.count());
  }

  private static void deadLetter(OutboxRecord r, String reasons) {
    String json = r.json().length() > 2000 ? r.json().substring(0, 2000) + "..." : r.json();
    LOG.log(
        Level.WARNING,
        "dead letter: ingest-service refused the event for good, dropped eventId={0} reasons={1}"
            + " event={2}",
        new Object[] {r.eventId(), reasons, json});
  }

  private static JsonNode parse(String body) {
    try {
      return Json.mapper().readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  static byte[] gzipArray(List<OutboxRecord> batch) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 8192)) {
      gz.write('[');
      for (int i = 0; i < batch.size(); i++) {
        if (i > 0) {
          gz.write(',');
        }
        gz.write(batch.get(i).json().getBytes(StandardCharsets.UTF_8));
      }
      gz.write(']');
    }
    return bytes.toByteArray();
  }

  private static String brief(String s) {
    String t = s.strip();
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }

  @Override
  public boolean drainOnStop() {
    return false;
  }

  /** The events endpoint. */
  public URI uri() {
    return uri;
  }
}
