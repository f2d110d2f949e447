package io.kubefim.operator.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kubefim.api.json.Json;
import io.kubefim.api.status.PolicyRollout;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A config-service that answers {@code GET /v1/policies/{name}/rollout} with whatever the test put
 * in: a rollout (200), nothing (404), or, while {@link #down} is set, HTTP 503. Thread-safe.
 */
public final class FakeConfigService implements AutoCloseable {
  private static final String PREFIX = "/v1/policies/";
  private static final String SUFFIX = "/rollout";

  private final HttpServer server;
  private final Map<String, PolicyRollout> rollouts = new ConcurrentHashMap<>();
  private final AtomicBoolean down = new AtomicBoolean();

  public FakeConfigService() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void put(PolicyRollout rollout) {
    rollouts.put(rollout.policy(), rollout);
  }

  public void down(boolean isDown) {
    down.set(isDown);
  }

  public void reset() {
    rollouts.clear();
    down.set(false);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (down.get()) {
        send(exchange, 503, "{\"error\":\"down\"}");
        return;
      }
      if (!path.startsWith(PREFIX) || !path.endsWith(SUFFIX)) {
        send(exchange, 404, "{}");
        return;
      }
      String name = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
      PolicyRollout r = rollouts.get(name);
      if (r == null) {
        send(exchange, 404, "{}");
      } else {
        send(exchange, 200, Json.mapper().writeValueAsString(r));
      }
    }
  }

  private static void send(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
