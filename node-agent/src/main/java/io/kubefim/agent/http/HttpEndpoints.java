package io.kubefim.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kubefim.agent.health.AgentHealth;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /q/health/live}, {@code /q/health/ready}, {@code /q/health} (SmallRye Health's JSON shape:
 * 200 UP, 503 DOWN with the reason in the check's {@code data}) and {@code /q/metrics} (Prometheus
 * text), on a {@link NonBlockingHttpServer}: a slow or half-open client cannot keep the kubelet's
 * probes from being answered. Health is answered on the server's selector thread; metrics, which
 * read the state database, on its worker thread.
 */
public final class HttpEndpoints implements AutoCloseable {
  /** A request head must arrive whole within this long, or the connection is closed. */
  static final long REQUEST_TIMEOUT_MILLIS = 5000;

  static final int MAX_CONNECTIONS = 256;
  private final NonBlockingHttpServer server;

  public HttpEndpoints(int port, AgentHealth health, AgentMetrics metrics) throws IOException {
    Supplier<NonBlockingHttpServer.Response> ready = () -> health("ready", health.ready());
    server =
        new NonBlockingHttpServer(
            port,
            Map.of(
                "/q/health/live",
                new NonBlockingHttpServer.Route(() -> health("live", health.live()), true),
                "/q/health/ready",
                new NonBlockingHttpServer.Route(ready, true),
                "/q/health",
                new NonBlockingHttpServer.Route(ready, true),
                "/q/metrics",
                new NonBlockingHttpServer.Route(
                    () ->
                        new NonBlockingHttpServer.Response(
                            200,
                            "text/plain; version=0.0.4; charset=utf-8",
                            metrics.scrape().getBytes(StandardCharsets.UTF_8)),
                    false)),
            REQUEST_TIMEOUT_MILLIS,
            MAX_CONNECTIONS,
            "kubefim-http");
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.port();
  }

  private static NonBlockingHttpServer.Response health(String check, AgentHealth.Check c) {
    byte[] body;
    try {
      body = Json.mapper().writeValueAsBytes(AgentHealth.json("kubefim-agent " + check, c));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("health JSON", e);
    }
    return new NonBlockingHttpServer.Response(c.up() ? 200 : 503, "application/json", body);
  }

  @Override
  public void close() {
    server.close();
  }
}
