package io.kubefim.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.api.json.Json;
import io.kubefim.ingest.testing.PackagedService;
import io.kubefim.ingest.testing.TestEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged ingest-service as a real child process on an H2 file, killed with SIGKILL the moment
 * it answered 202, then started again on the same file: every acknowledged EventId is stored, with
 * {@code kubefim.ingest.store.fsync} off (odd runs) and on (even runs).
 *
 * <p>Needs {@code target/quarkus-app/quarkus-run.jar}: the pom runs this class in the {@code
 * integration-test} phase, after {@code package} (a second surefire execution), so {@code mvn
 * verify} always tests the jar it just built.
 */
class StoreCrashIT {
  private static final int ROUNDS = 3;
  private static final int EVENTS_PER_BATCH = 100;

  @TempDir Path tmp;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process service;

  @AfterEach
  void stop() {
    if (service != null) {
      service.destroyForcibly();
    }
  }

  @Test
  void everyAcknowledgedEventSurvivesKillMinus9() throws Exception {
    String url = "jdbc:h2:file:" + tmp.resolve("store/events") + ";DB_CLOSE_ON_EXIT=FALSE";
    Set<String> acknowledged = new HashSet<>();
    for (int round = 1; round <= ROUNDS; round++) {
      int port = start(url, round);
      List<ObjectNode> batch = new ArrayList<>();
      for (int i = 0; i < EVENTS_PER_BATCH; i++) {
        batch.add(TestEvents.file("crash-node", "/etc/crash/" + round + "/" + i));
      }
      HttpResponse<String> r = post(port, TestEvents.array(batch));
      // SIGKILL right after the acknowledgement: no shutdown hook, no H2 close, no flush
      service.destroyForcibly();
      assertThat(service.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(r.statusCode()).as("round %d: %s", round, r.body()).isEqualTo(202);
      batch.forEach(e -> acknowledged.add(e.get("EventId").asText()));
    }

    int port = start(url, ROUNDS + 1);
    Set<String> stored = new HashSet<>();
    for (JsonNode e : get(port, "/v1/events?computer=crash-node&limit=1000")) {
      stored.add(e.get("EventId").asText());
    }
    Set<String> lost = new HashSet<>(acknowledged);
    lost.removeAll(stored);
    assertThat(lost)
        .as("acknowledged (202) then lost after kill -9, of %d", acknowledged.size())
        .isEmpty();
  }

  /** Starts the service on {@code url} and a free port; returns the port once it is ready. */
  private int start(String url, int run) throws Exception {
    PackagedService started =
        PackagedService.start(
            tmp.resolve("ingest-" + run + ".log"),
            List.of(
                "-Dkubefim.ingest.sinks=store",
                "-Dquarkus.datasource.jdbc.url=" + url,
                // odd runs without fsync: WRITE_DELAY=0 alone must survive kill -9
                "-Dkubefim.ingest.store.fsync=" + (run % 2 == 0)));
    service = started.process();
    return started.awaitReady(http, Duration.ofSeconds(60)).port();
  }

  private HttpResponse<String> post(int port, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(int port, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.mapper().readTree(r.body());
  }
}
