package io.kubefim.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * {@code /q/health/live}, {@code /q/health/ready} (SmallRye Health's JSON shape) and {@code
 * /q/metrics} (Prometheus text) on the JDK's HTTP server, one thread.
 */
public final class HttpEndpoints implements AutoCloseable {
  private final HttpServer server;

  public HttpEndpoints(int port, BooleanSupplier ready, AgentMetrics metrics) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 16);
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "kubefim-http");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/q/health/live", x -> health(x, "live", true));
    server.createContext("/q/health/ready", x -> health(x, "ready", ready.getAsBoolean()));
    server.createContext("/q/health", x -> health(x, "ready", ready.getAsBoolean()));
    server.createContext(
        "/q/metrics",
        x -> send(x, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    server.start();
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void health(HttpExchange x, String check, boolean up) throws IOException {
    String status = up ? "UP" : "DOWN";
    String body =
        "{\"status\":\""
            + status
            + "\",\"checks\":[{\"name\":\"kubefim-agent "
            + check
            + "\",\"status\":\""
            + status
            + "\"}]}";
    send(x, up ? 200 : 503, "application/json", body);
  }

  private static void send(HttpExchange x, int code, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.sendResponseHeaders(code, b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
