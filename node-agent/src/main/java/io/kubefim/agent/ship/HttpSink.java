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
 *   <li>400 with {@code rejected}: the valid events were taken durably, the listed ones never will
 *       be. They are dead letters: logged with their reasons and counted, and the batch counts as
 *       delivered (a resend would only fail again).
 *   <li>400 without a list, 413: the batch as a whole was refused: {@link BatchTooLargeException},
 *       the drainer halves it; a single event refused like this is a dead letter.
 *   <li>429, 503: {@link RetryLaterException} with the {@code Retry-After}.
 *   <li>401, 403, 5xx, anything else, connection failures: an {@link IOException}, the drainer
 *       backs off and keeps the events (a token may be rotating).
 * </ul>
 *
 * Thread-safe (the JDK client is); the drainer calls it from one thread.
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
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
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
        JsonNode answer = parse(body);
        if (answer != null && answer.has("rejected")) {
          deadLetters(batch, answer);
          return;
        }
        refusedWhole(batch, code, body);
        return;
      }
      case 413 -> {
        refusedWhole(batch, code, body);
        return;
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

  private void refusedWhole(List<OutboxRecord> batch, int code, String body) throws IOException {
    if (batch.size() > 1) {
      throw new BatchTooLargeException(
          "ingest-service refused a batch of " + batch.size() + " (" + code + "): " + brief(body));
    }
    OutboxRecord r = batch.get(0);
    deadLetter(r, code + " " + brief(body));
    metrics.deadLettered(1);
  }

  /** 400 with per-event reasons: the rest of the batch was taken durably (docs/ingest.md). */
  private void deadLetters(List<OutboxRecord> batch, JsonNode answer) {
    long rejected = answer.path("rejectedCount").asLong(answer.path("rejected").size());
    for (JsonNode r : answer.path("rejected")) {
      int index = r.path("index").asInt(-1);
      OutboxRecord rec = index >= 0 && index < batch.size() ? batch.get(index) : null;
      String reasons = r.path("reasons").toString();
      if (rec != null) {
        deadLetter(rec, reasons);
      } else {
        LOG.log(
            Level.WARNING,
            "dead letter eventId={0} reasons={1}",
            new Object[] {r.path("eventId").asText(), reasons});
      }
    }
    long listed = answer.path("rejected").size();
    if (rejected > listed) {
      LOG.log(
          Level.WARNING, "dead letters not listed by ingest-service count={0}", rejected - listed);
    }
    metrics.deadLettered(rejected);
    metrics.shipped(batch.size() - rejected);
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
