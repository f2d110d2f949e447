package io.kubefim.agent.status;

import io.kubefim.agent.health.Workers;
import io.kubefim.agent.remote.RateLimitedLog;
import io.kubefim.agent.remote.TokenFile;
import io.kubefim.api.json.Json;
import io.kubefim.api.status.NodeStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The heartbeat: {@code PUT /v1/nodes/{node}/status} with a {@link NodeStatus} every interval (30
 * s) and at once when {@link #kick} is called (a config was applied). A failed heartbeat is logged
 * at most once a minute and simply sent again at the next tick, with fresh content.
 *
 * <p>Threading: one daemon thread sends; {@link #kick} is safe from any thread.
 */
public final class StatusReporter implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StatusReporter.class.getName());
  private final URI uri;
  private final TokenFile token;
  private final Supplier<NodeStatus> status;
  private final HttpClient http;
  private volatile Runnable task = this::send;
  private final RateLimitedLog failures = new RateLimitedLog(LOG, 60_000);
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kubefim-heartbeat");
            t.setDaemon(true);
            return t;
          });

  public StatusReporter(String baseUrl, String node, TokenFile token, Supplier<NodeStatus> status) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.uri =
        URI.create(
            base
                + "/v1/nodes/"
                + URLEncoder.encode(node, StandardCharsets.UTF_8).replace("+", "%20")
                + "/status");
    this.token = token;
    this.status = status;
    this.http = io.kubefim.agent.remote.Http.newClient(Duration.ofSeconds(10));
  }

  /** Sends now and then every {@code interval}. */
  public void start(Duration interval) {
    start(interval, new Workers());
  }

  /** As {@link #start(Duration)}, every heartbeat under {@code workers}' guard. */
  public void start(Duration interval, Workers workers) {
    this.task = workers.guard("kubefim-heartbeat", this::send);
    timer.scheduleWithFixedDelay(task, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends one heartbeat soon (after a config was applied). */
  public void kick() {
    try {
      timer.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  private void send() {
    try {
      NodeStatus s = status.get();
      HttpRequest.Builder req =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(15))
              .header("Content-Type", "application/json")
              .PUT(HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(s)));
      token.authorization().ifPresent(a -> req.header("Authorization", a));
      HttpResponse<String> resp =
          http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (resp.statusCode() / 100 != 2) {
        failures.log(
            Level.WARNING,
            "heartbeat refused status={0} body={1}",
            resp.statusCode(),
            resp.body().length() > 300 ? resp.body().substring(0, 300) : resp.body());
      } else {
        failures.reset();
        LOG.log(
            Level.FINE,
            "heartbeat sent state={0} version={1}",
            new Object[] {s.state(), s.appliedVersion()});
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      failures.log(Level.WARNING, "heartbeat failed url={0} error={1}", uri, e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
