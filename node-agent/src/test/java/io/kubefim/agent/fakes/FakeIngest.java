package io.kubefim.agent.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kubefim.api.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * ingest-service's {@code POST /v1/events} contract (docs/ingest.md) on the JDK HTTP server: JSON
 * array or NDJSON, gzip, dedup by EventId, 202; 400 with per-event reasons for events {@link
 * #invalid} matches (the others are taken); 401 without the {@link #requiredToken}; 413 above
 * {@link #maxEvents}; and scripted answers ({@link #always}, then {@link #script}) served before
 * any of that (as a proxy in front of the service would answer).
 */
public final class FakeIngest implements AutoCloseable {
  /** A scripted answer: status, optional Retry-After, body. */
  public record Answer(int status, String retryAfter, String body) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  /** Accepted events by EventId (lowercase), first copy kept. */
  public final Map<String, JsonNode> events = new ConcurrentHashMap<>();

  public final AtomicInteger requests = new AtomicInteger();
  public final AtomicInteger duplicates = new AtomicInteger();
  public final Queue<Answer> script = new ConcurrentLinkedQueue<>();
  public final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  public final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
  public volatile String requiredToken;
  public volatile Predicate<JsonNode> invalid = e -> false;
  public volatile int maxEvents = Integer.MAX_VALUE;

  /** When set, the answer to every request (after the token check), until set back to null. */
  public volatile Answer always;

  private FakeIngest(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 32);
    server.setExecutor(executor);
    server.createContext("/v1/events", this::handle);
    server.start();
  }

  /** Starts on {@code port} (0: a free one). */
  public static FakeIngest start(int port) throws IOException {
    return new FakeIngest(port);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** Accepted events of a change type. */
  public List<JsonNode> ofType(String changeType) {
    return events.values().stream()
        .filter(e -> changeType.equals(e.path("ChangeType").asText()))
        .toList();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      requests.incrementAndGet();
      if (!"POST".equals(x.getRequestMethod())) {
        send(x, 405, null, "{\"error\":\"method\"}");
        return;
      }
      String auth = x.getRequestHeaders().getFirst("Authorization");
      authorizations.add(auth == null ? "" : auth);
      byte[] raw = x.getRequestBody().readAllBytes();
      String required = requiredToken;
      if (required != null && !("Bearer " + required).equals(auth)) {
        send(x, 401, null, "{\"error\":\"token rejected\"}");
        return;
      }
      Answer scripted = always != null ? always : script.poll();
      if (scripted != null) {
        send(x, scripted.status(), scripted.retryAfter(), scripted.body());
        return;
      }
      InputStream in = new ByteArrayInputStream(raw);
      if ("gzip".equalsIgnoreCase(x.getRequestHeaders().getFirst("Content-Encoding"))) {
        in = new GZIPInputStream(in);
      }
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<JsonNode> batch = new ArrayList<>();
      String type = x.getRequestHeaders().getFirst("Content-Type");
      if (type != null && type.contains("ndjson")) {
        for (String line : body.split("\n")) {
          if (!line.isBlank()) {
            batch.add(Json.mapper().readTree(line));
          }
        }
      } else {
        Json.mapper().readTree(body).forEach(batch::add);
      }
      batchSizes.add(batch.size());
      if (batch.size() > maxEvents) {
        send(x, 413, null, "{\"error\":\"more than " + maxEvents + " events\"}");
        return;
      }
      ArrayNode rejected = Json.mapper().createArrayNode();
      int accepted = 0;
      int dup = 0;
      for (int i = 0; i < batch.size(); i++) {
        JsonNode e = batch.get(i);
        if (invalid.test(e)) {
          ObjectNode r = rejected.addObject();
          r.put("index", i);
          r.put("eventId", e.path("EventId").asText());
          r.putArray("reasons").add("FilePath: refused by the test");
          continue;
        }
        String id = e.path("EventId").asText().toLowerCase();
        if (events.putIfAbsent(id, e) == null) {
          accepted++;
        } else {
          dup++;
          duplicates.incrementAndGet();
        }
      }
      ObjectNode answer = Json.mapper().createObjectNode();
      answer.put("accepted", accepted).put("duplicates", dup);
      answer.put("rejectedCount", rejected.size()).set("rejected", rejected);
      if (rejected.isEmpty()) {
        send(x, 202, null, answer.toString());
      } else {
        answer.put("error", rejected.size() + " events refused, see rejected");
        send(x, 400, null, answer.toString());
      }
    }
  }

  private static void send(HttpExchange x, int status, String retryAfter, String body)
      throws IOException {
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    if (retryAfter != null) {
      x.getResponseHeaders().set("Retry-After", retryAfter);
    }
    x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream o = x.getResponseBody()) {
        o.write(b);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
