package io.kubefim.agent.fakes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.json.Json;
import io.kubefim.api.status.NodeStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * config-service's agent contract (docs/config-service.md) on the JDK HTTP server: {@code GET
 * /v1/nodes/{node}/config} with {@code ETag}, long-poll with {@code If-None-Match} and {@code
 * ?wait=Ns} (304 when nothing changed), {@code PUT /v1/nodes/{node}/status} recorded; 401 without
 * the {@link #requiredToken}.
 */
public final class FakeConfigService implements AutoCloseable {
  private static final Pattern POD = Pattern.compile("/v1/nodes/([^/]+)/pods/([^/]+)");
  private static final Pattern PATH = Pattern.compile("^/v1/nodes/([^/]+)/(config|status)$");
  private static final Pattern WAIT = Pattern.compile("wait=(\\d+)s");
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private AgentConfig current;

  public final List<NodeStatus> heartbeats = Collections.synchronizedList(new ArrayList<>());
  public final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  public final AtomicInteger configRequests = new AtomicInteger();
  public volatile String requiredToken;

  /**
   * Pods of the node by uid: the PodIdentity JSON {@code GET /v1/nodes/{node}/pods/{uid}} answers.
   */
  public final java.util.Map<String, String> pods = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * When set, every config request is answered 200 with exactly these bytes (no ETag, no
   * long-poll): a broken or hostile config-service.
   */
  public volatile byte[] rawConfigBody;

  /** Pod lookups asked for, by uid. */
  public final List<String> podLookups = Collections.synchronizedList(new ArrayList<>());

  private FakeConfigService(int port, AgentConfig initial) throws IOException {
    this.current = initial;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 32);
    server.setExecutor(executor);
    server.createContext("/v1/nodes/", this::handle);
    server.start();
  }

  public static FakeConfigService start(int port, AgentConfig initial) throws IOException {
    return new FakeConfigService(port, initial);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** Serves {@code config} from now on and answers waiting long-polls. */
  public synchronized void publish(AgentConfig config) {
    current = config;
    notifyAll();
  }

  /** The last heartbeat, or null. */
  public NodeStatus lastHeartbeat() {
    synchronized (heartbeats) {
      return heartbeats.isEmpty() ? null : heartbeats.get(heartbeats.size() - 1);
    }
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      Matcher pod = POD.matcher(x.getRequestURI().getPath());
      if (pod.matches()) {
        podLookups.add(pod.group(2));
        String body = pods.get(pod.group(2));
        send(
            x, body == null ? 404 : 200, null, body == null ? "{\"error\":\"no such pod\"}" : body);
        return;
      }
      Matcher m = PATH.matcher(x.getRequestURI().getPath());
      if (!m.matches()) {
        send(x, 404, null, "{\"error\":\"no such path\"}");
        return;
      }
      String auth = x.getRequestHeaders().getFirst("Authorization");
      authorizations.add(auth == null ? "" : auth);
      String required = requiredToken;
      if (required != null && !("Bearer " + required).equals(auth)) {
        send(x, 401, null, "{\"status\":401,\"error\":\"token rejected\"}");
        return;
      }
      if (m.group(2).equals("status")) {
        NodeStatus s = Json.mapper().readValue(x.getRequestBody(), NodeStatus.class);
        if (s.node() != null && !s.node().equals(m.group(1))) {
          send(x, 400, null, "{\"status\":400,\"error\":\"node\"}");
          return;
        }
        heartbeats.add(s);
        send(x, 204, null, null);
        return;
      }
      configRequests.incrementAndGet();
      byte[] raw = rawConfigBody;
      if (raw != null) {
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(200, raw.length == 0 ? -1 : raw.length);
        if (raw.length > 0) {
          try (OutputStream o = x.getResponseBody()) {
            o.write(raw);
          }
        }
        return;
      }
      String inm = x.getRequestHeaders().getFirst("If-None-Match");
      String known = inm == null ? null : inm.replace("\"", "");
      String query = x.getRequestURI().getQuery();
      Matcher w = WAIT.matcher(query == null ? "" : query);
      long waitMillis = known != null && w.find() ? Long.parseLong(w.group(1)) * 1000 : 0;
      AgentConfig answer;
      synchronized (this) {
        long end = System.currentTimeMillis() + waitMillis;
        while (current != null && current.version().equals(known)) {
          long left = end - System.currentTimeMillis();
          if (left <= 0) {
            break;
          }
          try {
            wait(left);
          } catch (InterruptedException e) {
            return;
          }
        }
        answer = current;
      }
      if (answer == null) {
        send(x, 404, null, "{\"status\":404,\"error\":\"unknown node\"}");
      } else if (answer.version().equals(known)) {
        send(x, 304, "\"" + answer.version() + "\"", null);
      } else {
        send(x, 200, "\"" + answer.version() + "\"", Json.mapper().writeValueAsString(answer));
      }
    }
  }

  private static void send(HttpExchange x, int status, String etag, String body)
      throws IOException {
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    if (etag != null) {
      x.getResponseHeaders().set("ETag", etag);
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
    synchronized (this) {
      notifyAll();
    }
    server.stop(0);
    executor.shutdownNow();
  }
}
