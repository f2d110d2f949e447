package io.kubefim.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubefim.agent.health.Workers;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} as a process: readiness after the first scan, metrics, refused flag combinations. */
class RunCommandIT {
  @TempDir Path tmp;

  @Test
  void readyAfterFirstScanWithMetrics() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host/etc/app"));
    Files.writeString(host.resolve("a"), "a");
    Path policies = Files.createDirectories(tmp.resolve("policies"));
    Files.writeString(
        policies.resolve("p.yaml"),
        "apiVersion: kubefim.io/v1alpha1\nkind: FimPolicy\nmetadata: {name: p}\nspec:\n  rules:\n    - paths: [/etc/app]\n");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path out = tmp.resolve("events.ndjson");
    Process p =
        new ProcessBuilder(
                System.getProperty("kubefim.test.java", "java"),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                AgentMain.class.getName(),
                "run",
                "--state",
                tmp.resolve("state").toString(),
                "--policies",
                policies.toString(),
                "--host-root",
                tmp.resolve("host").toString(),
                "--output",
                out.toString(),
                "--http-port",
                Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("agent.log").toFile())
            .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () ->
                  http.send(
                              HttpRequest.newBuilder(ready).build(),
                              HttpResponse.BodyHandlers.ofString())
                          .statusCode()
                      == 200);
      String body =
          http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(body).startsWith("{\"status\":\"UP\"");
      Files.writeString(host.resolve("b"), "b");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Files.readString(out).contains("\"FilePath\":\"/etc/app/b\""));
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .contains("kubefim_agent_files_baselined 3")
          .contains("kubefim_agent_watches ")
          .contains("kubefim_agent_events_total{change_type=\"Created\"} 1")
          .contains("kubefim_agent_events_total{change_type=\"BaselineCreated\"} 1")
          .contains("kubefim_agent_scan_duration_seconds_count 1")
          .contains("kubefim_agent_coverage_gaps_total 0")
          .contains("kubefim_agent_outbox_depth ");
      assertThat(Files.readString(out)).contains("AgentStarted").contains("PolicyApplied");
    } finally {
      p.destroy();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aWorkerThatDiesTurnsLivenessDownWithItsNameInARealRun() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host/etc/app"));
    Files.writeString(host.resolve("a"), "a");
    Path policies = Files.createDirectories(tmp.resolve("policies"));
    Files.writeString(
        policies.resolve("p.yaml"),
        "apiVersion: kubefim.io/v1alpha1\nkind: FimPolicy\nmetadata: {name: p}\nspec:\n  rules:\n    - paths: [/etc/app]\n");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p =
        new ProcessBuilder(
                System.getProperty("kubefim.test.java", "java"),
                "-Xmx64m",
                "-D" + Workers.FAIL_PROPERTY + "=kubefim-drainer", // the seam: it dies at start
                "-cp",
                System.getProperty("java.class.path"),
                AgentMain.class.getName(),
                "run",
                "--state",
                tmp.resolve("state").toString(),
                "--policies",
                policies.toString(),
                "--host-root",
                tmp.resolve("host").toString(),
                "--output",
                tmp.resolve("events.ndjson").toString(),
                "--http-port",
                Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("agent.log").toFile())
            .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI live = URI.create("http://127.0.0.1:" + port + "/q/health/live");
      java.util.concurrent.atomic.AtomicReference<HttpResponse<String>> last =
          new java.util.concurrent.atomic.AtomicReference<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () ->
                  last.updateAndGet(
                              x -> {
                                try {
                                  return http.send(
                                      HttpRequest.newBuilder(live).build(),
                                      HttpResponse.BodyHandlers.ofString());
                                } catch (Exception e) {
                                  throw new IllegalStateException(e);
                                }
                              })
                          .statusCode()
                      == 503);
      assertThat(last.get().body())
          .contains("\"status\":\"DOWN\"")
          .contains("\"kubefim-drainer\":\"java.lang.StackOverflowError");
      assertThat(Files.readString(tmp.resolve("agent.log")))
          .contains(
              "worker stopped, health is DOWN until the agent restarts worker=kubefim-drainer");
    } finally {
      p.destroy();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void alternativeFlagsAreRefusedWith64() {
    String state = tmp.toString();
    assertThat(
            AgentMain.execute(
                "run", "--state", state, "--policies", state, "--config-url", "http://x"))
        .isEqualTo(64);
    assertThat(
            AgentMain.execute(
                "run",
                "--state",
                state,
                "--policies",
                state,
                "--output",
                "-",
                "--ingest-url",
                "http://x"))
        .isEqualTo(64);
    assertThat(AgentMain.execute("run", "--state", state)).isEqualTo(64);
    assertThat(
            AgentMain.execute(
                "run", "--state", state, "--policies", state, "--spool-max-bytes", "lots"))
        .isEqualTo(64);
  }
}
