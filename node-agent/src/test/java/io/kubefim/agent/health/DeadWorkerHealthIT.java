package io.kubefim.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubefim.agent.Fixture;
import io.kubefim.agent.daemon.AgentDaemon;
import io.kubefim.agent.http.AgentMetrics;
import io.kubefim.agent.http.HttpEndpoints;
import io.kubefim.agent.watch.RealtimeQueue;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that dies (an Error included) turns {@code /q/health/live} and {@code /q/health/ready}
 * DOWN (503) with the worker's name and the reason in the check data, over real HTTP.
 */
class DeadWorkerHealthIT {
  @TempDir Path tmp;
  final Workers workers = new Workers();
  final HttpClient http = HttpClient.newHttpClient();
  HttpEndpoints endpoints;
  Fixture fx;
  AgentDaemon daemon;

  @AfterEach
  void tearDown() throws IOException {
    if (daemon != null) {
      daemon.close();
    }
    if (endpoints != null) {
      endpoints.close();
    }
    if (fx != null) {
      fx.close();
    }
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static int recurse(int n) {
    return recurse(n + 1) + 1;
  }

  @Test
  void theEngineThreadDyingOfAStackOverflowTurnsLiveAndReadyDown() throws Exception {
    fx = new Fixture(tmp);
    fx.write("/etc/app/a", "a");
    daemon =
        new AgentDaemon(
            fx.engine(Fixture.rule("/etc/app")),
            null,
            new RealtimeQueue(p -> 200),
            new AgentMetrics(),
            "v1");
    endpoints = new HttpEndpoints(0, new AgentHealth(workers, daemon::ready), new AgentMetrics());
    // the seam: a listener that runs on the engine thread once the first scan is committed
    daemon.onReady(() -> recurse(0));
    daemon.start(workers);

    await().atMost(Duration.ofSeconds(30)).until(() -> !workers.stopped().isEmpty());
    HttpResponse<String> live = get("/q/health/live");
    assertThat(live.statusCode()).isEqualTo(503);
    JsonNode body = Json.mapper().readTree(live.body());
    assertThat(body.path("status").asText()).isEqualTo("DOWN");
    assertThat(body.path("checks").get(0).path("data").path("kubefim-engine").asText())
        .startsWith("java.lang.StackOverflowError at ")
        .contains("recurse");
    HttpResponse<String> ready = get("/q/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("kubefim-engine").contains("StackOverflowError");
  }

  @Test
  void anyGuardedWorkerFailingTurnsHealthDownWithItsName() throws Exception {
    endpoints = new HttpEndpoints(0, new AgentHealth(workers, () -> true), new AgentMetrics());
    assertThat(get("/q/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/q/health/ready").body()).startsWith("{\"status\":\"UP\"");

    Thread t =
        workers.start(
            "kubefim-drainer",
            true,
            () -> {
              throw new OutOfMemoryError("Java heap space (test)");
            });
    t.join(5000);
    HttpResponse<String> live = get("/q/health/live");
    assertThat(live.statusCode()).isEqualTo(503);
    assertThat(live.body())
        .contains("\"kubefim-drainer\":\"java.lang.OutOfMemoryError: Java heap space (test)");
    // a worker whose body returns (closed) is not a failure
    workers.start("kubefim-config-client", true, () -> {}).join(5000);
    assertThat(workers.stopped()).containsOnlyKeys("kubefim-drainer");
  }

  @Test
  void aPeriodicWorkerThatFailsStopsAndIsReported() throws Exception {
    var timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      java.util.concurrent.atomic.AtomicInteger runs =
          new java.util.concurrent.atomic.AtomicInteger();
      timer.scheduleWithFixedDelay(
          workers.guard(
              "kubefim-heartbeat",
              () -> {
                if (runs.incrementAndGet() == 2) {
                  throw new IllegalStateException("heartbeat bug");
                }
              }),
          0,
          10,
          java.util.concurrent.TimeUnit.MILLISECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> !workers.stopped().isEmpty());
      assertThat(workers.stopped().get("kubefim-heartbeat"))
          .startsWith("java.lang.IllegalStateException: heartbeat bug");
    } finally {
      timer.shutdownNow();
    }
  }
}
