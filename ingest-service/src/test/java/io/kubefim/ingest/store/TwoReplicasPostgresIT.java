package io.kubefim.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.api.json.Json;
import io.kubefim.ingest.testing.PackagedService;
import io.kubefim.ingest.testing.Postgres;
import io.kubefim.ingest.testing.TestEvents;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of the packaged ingest-service (child processes, as a Deployment with {@code
 * replicas: 2} runs them) on one PostgreSQL: what one stored the other reads, an event posted to
 * both is stored once, the pages are the same from either, and an event acknowledged by a replica
 * killed with SIGKILL right after its 202 is readable from the other.
 *
 * <p>Needs {@code target/quarkus-app/quarkus-run.jar}: the pom runs this class in the {@code
 * integration-test} phase, after {@code package}, with {@code *CrashIT}. Skipped (with the reason
 * printed) where PostgreSQL's server binaries are missing.
 */
@EnabledIf(
    value = "io.kubefim.ingest.testing.Postgres#available",
    disabledReason = "PostgreSQL's server binaries are not installed (apt-get install postgresql)")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoReplicasPostgresIT {
  @TempDir static Path tmp;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Instant base = Instant.now().minus(10, ChronoUnit.MINUTES);
  private final String run = Long.toString(System.nanoTime(), 36);
  private Postgres.Cluster postgres;
  private Replica a;
  private Replica b;

  /** One child process of the packaged service. */
  private record Replica(String name, PackagedService service) {
    String url(String path) {
      return service.url(path);
    }

    Process process() {
      return service.process();
    }
  }

  @BeforeAll
  void start() throws Exception {
    postgres = Postgres.Cluster.start();
    // both at once: two pods of a rollout, Flyway's lock decides who migrates
    Replica first = launch("a");
    Replica second = launch("b");
    a = awaitReady(first);
    b = awaitReady(second);
  }

  @AfterAll
  void stop() {
    for (Replica r : new Replica[] {a, b}) {
      if (r != null) {
        r.process().destroyForcibly();
      }
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  @Order(1)
  void eitherReplicaReadsWhatBothStoredAndABatchSentToBothIsStoredOnce() throws Exception {
    String nodeA = "replica-a-" + run;
    String nodeB = "replica-b-" + run;
    String shared = "replica-both-" + run;
    List<ObjectNode> toA = batch(nodeA, 30);
    List<ObjectNode> toB = batch(nodeB, 30);
    List<ObjectNode> toBoth = batch(shared, 20);

    assertAccepted(post(a, toA), 30);
    assertAccepted(post(b, toB), 30);
    // the same batch to both at once (an agent retrying through the Service after a timeout):
    // each replica's in-memory dedup knows nothing of the other's, the store's unique EventId does
    CompletableFuture<HttpResponse<String>> viaA = postAsync(a, toBoth);
    CompletableFuture<HttpResponse<String>> viaB = postAsync(b, toBoth);
    assertThat(viaA.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
    assertThat(viaB.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(202);

    for (String node : List.of(nodeA, nodeB, shared)) {
      String path = "/v1/events?limit=1000&computer=" + enc(node);
      String fromA = get(a, path);
      assertThat(get(b, path)).as(node + " from either replica").isEqualTo(fromA);
      List<String> ids = eventIds(fromA);
      assertThat(ids).as(node + ": each event once").doesNotHaveDuplicates();
    }
    assertThat(eventIds(get(a, "/v1/events?limit=1000&computer=" + enc(nodeA))))
        .containsExactlyInAnyOrderElementsOf(ids(toA));
    assertThat(eventIds(get(b, "/v1/events?limit=1000&computer=" + enc(nodeB))))
        .containsExactlyInAnyOrderElementsOf(ids(toB));
    assertThat(eventIds(get(a, "/v1/events?limit=1000&computer=" + enc(shared))))
        .containsExactlyInAnyOrderElementsOf(ids(toBoth));

    String machinesA = get(a, "/");
    assertThat(machinesA).contains(nodeA).contains(nodeB).contains(shared);
    assertThat(get(b, "/")).as("machines page from either replica").isEqualTo(machinesA);
    String pageB = get(b, "/machines/" + enc(nodeA));
    assertThat(pageB).contains("/etc/replica/" + nodeA + "/0.conf");
    assertThat(get(a, "/machines/" + enc(nodeA))).as("machine page").isEqualTo(pageB);
  }

  @Test
  @Order(2)
  void anEventAcknowledgedByAReplicaKilledRightAfterIts202IsReadFromTheOther() throws Exception {
    String node = "replica-killed-" + run;
    List<ObjectNode> sent = batch(node, 50);
    HttpResponse<String> r = post(b, sent);
    // SIGKILL right after the acknowledgement: no shutdown, no pool close
    b.process().destroyForcibly();
    assertThat(b.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);

    Set<String> stored =
        new HashSet<>(eventIds(get(a, "/v1/events?limit=1000&computer=" + enc(node))));
    Set<String> lost = new HashSet<>(ids(sent));
    lost.removeAll(stored);
    assertThat(lost).as("acknowledged by b, then not readable from a").isEmpty();
  }

  private List<ObjectNode> batch(String node, int n) {
    List<ObjectNode> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ObjectNode e = TestEvents.file(node, "/etc/replica/" + node + "/" + i + ".conf");
      // within the pages' default window, one second apart: a stable order
      e.put("TimeGenerated", base.plusSeconds(i).toString());
      out.add(e);
    }
    return out;
  }

  private static List<String> ids(List<ObjectNode> events) {
    return events.stream().map(e -> e.get("EventId").asText()).toList();
  }

  private static List<String> eventIds(String json) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode e : Json.mapper().readTree(json)) {
      out.add(e.get("EventId").asText());
    }
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private Replica launch(String name) throws IOException {
    PackagedService service =
        PackagedService.start(
            tmp.resolve("ingest-" + name + ".log"),
            List.of(
                "-Dkubefim.ingest.sinks=store",
                "-Dquarkus.datasource.active=false",
                "-Dquarkus.datasource.postgresql.active=true",
                "-Dquarkus.datasource.postgresql.jdbc.url=" + postgres.jdbcUrl(),
                "-Dquarkus.datasource.postgresql.username=" + Postgres.Cluster.USER,
                "-Dkubefim.ingest.store.datasource=postgresql"));
    return new Replica(name, service);
  }

  private Replica awaitReady(Replica r) throws Exception {
    try {
      r.service().awaitReady(http, Duration.ofSeconds(90));
      return r;
    } catch (AssertionError e) {
      throw new AssertionError(
          "replica " + r.name() + ": " + e.getMessage() + read(postgres.log()));
    }
  }

  private static String read(Path p) throws IOException {
    return Files.exists(p) ? Files.readString(p) : "(no log " + p + ")";
  }

  private static void assertAccepted(HttpResponse<String> r, int n) throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(Json.mapper().readTree(r.body()).get("accepted").asInt()).isEqualTo(n);
  }

  private HttpRequest postRequest(Replica r, List<ObjectNode> events) {
    return HttpRequest.newBuilder(URI.create(r.url("/v1/events")))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(TestEvents.array(events)))
        .build();
  }

  private HttpResponse<String> post(Replica r, List<ObjectNode> events) throws Exception {
    return http.send(postRequest(r, events), HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> postAsync(Replica r, List<ObjectNode> events) {
    return http.sendAsync(postRequest(r, events), HttpResponse.BodyHandlers.ofString());
  }

  private String get(Replica r, String path) throws Exception {
    HttpResponse<String> resp =
        http.send(
            HttpRequest.newBuilder(URI.create(r.url(path))).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).as("%s %s: %s", r.name(), path, resp.body()).isEqualTo(200);
    return resp.body();
  }
}
