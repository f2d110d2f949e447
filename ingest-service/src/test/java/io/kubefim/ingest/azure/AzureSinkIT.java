package io.kubefim.ingest.azure;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.ingest.azure.fake.FakeAzureResource;
import io.kubefim.ingest.azure.fake.FakeLogsIngestion;
import io.kubefim.ingest.testing.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The azure sink end to end: HTTP → channel → real LogsIngestionClient (Netty, HTTPS, gzip,
 * DefaultAzureCredential via workload identity) → the fake. After every test, every event ingest
 * answered 202 for is in the fake and the fake saw no protocol violation.
 */
@QuarkusTest
@TestProfile(AzureProfile.class)
class AzureSinkIT {
  private static final Set<String> ACCEPTED = ConcurrentHashMap.newKeySet();
  private FakeLogsIngestion fake;

  @BeforeEach
  void fake() {
    fake = FakeAzureResource.fake();
    fake.clearFaults();
    fake.maxBytes(1024 * 1024);
    fake.delay(0);
  }

  @AfterEach
  void noneLostAndProtocolKept() {
    Set<String> received =
        fake.records().stream().map(r -> r.get("EventId").asText()).collect(Collectors.toSet());
    assertThat(received).containsAll(ACCEPTED);
    assertThat(fake.violations()).isEmpty();
  }

  @Test
  void batchesReachTheTableEnrichedAndTyped() {
    for (int b = 0; b < 3; b++) {
      post(batch("node-a", 100)).then().statusCode(202).body("accepted", equalTo(100));
    }
    JsonNode record = fake.records().get(0);
    assertThat(record.get("ClusterName").asText()).isEqualTo("aks1");
    assertThat(record.get("AzureResourceId").asText()).endsWith("/managedClusters/aks1");
    assertThat(record.get("FileSize").isIntegralNumber()).isTrue();
    assertThat(record.get("FieldsChanged").isArray()).isTrue();
    assertThat(fake.tokenRequests()).isGreaterThanOrEqualTo(1);
    given().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void attributionColumnsReachTheTableWithTheirTypes() {
    ObjectNode sent = TestEvents.attributed("node-who", "/etc/app/x.conf");
    post(TestEvents.array(List.of(sent))).then().statusCode(202).body("accepted", equalTo(1));
    JsonNode r =
        fake.records().stream()
            .filter(x -> x.get("EventId").asText().equals(sent.get("EventId").asText()))
            .findFirst()
            .orElseThrow();
    for (String c :
        List.of(
            "InitiatingProcessId",
            "InitiatingProcessParentId",
            "InitiatingProcessPosixUserId",
            "InitiatingProcessLoginUserId")) {
      assertThat(r.get(c).isIntegralNumber()).as(c).isTrue();
      assertThat(r.get(c).longValue()).as(c).isEqualTo(sent.get(c).longValue());
    }
    assertThat(r.get("InitiatingProcessCount").isInt()).isTrue();
    assertThat(r.get("InitiatingProcessCount").intValue()).isEqualTo(2);
    assertThat(Instant.parse(r.get("InitiatingProcessCreationTime").textValue()))
        .isEqualTo(Instant.parse("2024-05-01T10:14:02.5Z"));
    for (String c :
        List.of(
            "InitiatingProcessName",
            "InitiatingProcessImageFilePath",
            "InitiatingProcessCommandLine",
            "InitiatingProcessParentName",
            "InitiatingProcessAccountName",
            "InitiatingProcessLoginAccountName",
            "ContainerId",
            "PodUid",
            "PodName",
            "PodNamespace",
            "ContainerName")) {
      assertThat(r.get(c).isTextual()).as(c).isTrue();
      assertThat(r.get(c).textValue()).as(c).isEqualTo(sent.get(c).textValue());
    }
  }

  @Test
  void expectationColumnsReachTheTableAndAnUnlabelledChangeIsFalse() {
    ObjectNode expected =
        TestEvents.expected("node-expected", "/usr/bin/ls", "PackageManager:/usr/bin/dpkg");
    ObjectNode plain = TestEvents.file("node-expected", "/etc/passwd");
    ObjectNode summary = TestEvents.windowClosed("node-expected", "linux", "patch-sunday");
    post(TestEvents.array(List.of(expected, plain, summary)))
        .then()
        .statusCode(202)
        .body("accepted", equalTo(3));
    JsonNode e = record(expected);
    assertThat(e.get("ChangeExpected").isBoolean()).isTrue();
    assertThat(e.get("ChangeExpected").booleanValue()).isTrue();
    assertThat(e.get("ExpectedReason").textValue()).isEqualTo("PackageManager:/usr/bin/dpkg");
    JsonNode p = record(plain);
    assertThat(p.get("ChangeExpected").isBoolean()).isTrue();
    assertThat(p.get("ChangeExpected").booleanValue()).isFalse();
    assertThat(p.has("ExpectedReason")).isFalse();
    JsonNode w = record(summary);
    assertThat(w.get("ChangeType").textValue()).isEqualTo("MaintenanceWindowClosed");
    assertThat(w.get("ExpectedReason").textValue()).isEqualTo("MaintenanceWindow:patch-sunday");
    assertThat(w.get("Details").textValue()).contains("\"byDirectory\"");
  }

  private JsonNode record(ObjectNode sent) {
    return fake.records().stream()
        .filter(x -> x.get("EventId").asText().equals(sent.get("EventId").asText()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void tooLargeUploadsAreSplit() {
    fake.maxBytes(20_000);
    int before = fake.answered(413);
    post(batch("node-split", 200)).then().statusCode(202).body("accepted", equalTo(200));
    assertThat(fake.answered(413)).isGreaterThan(before);
  }

  @Test
  void throttlingIsWaitedOutHonouringRetryAfter() {
    fake.fail(429, 1, 2);
    long start = System.nanoTime();
    post(batch("node-429", 50)).then().statusCode(202);
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1900);
  }

  @Test
  void serverErrorsAreRetried() {
    fake.fail(500, -1, 4);
    post(batch("node-500", 50)).then().statusCode(202);
  }

  @Test
  void connectionsDroppedLongerThanTheSdkRetriesAreWaitedOutAndEveryEventArrivesOnce() {
    int before = fake.dropped();
    // max-retries=2: the SDK tries 3 times per upload, so the sink's own retry has to carry it
    fake.dropConnections(5);
    String body = batch("node-drop", 40);
    post(body).then().statusCode(202).body("accepted", equalTo(40));
    assertThat(fake.dropped() - before).isEqualTo(5);
    List<String> ids = fake.records().stream().map(r -> r.get("EventId").asText()).toList();
    for (JsonNode e : readArray(body)) {
      assertThat(ids).containsOnlyOnce(e.get("EventId").asText());
    }
  }

  @Test
  void forbiddenTurnsReadinessDownWithTheCauseAndLosesNothing() throws Exception {
    fake.fail(403, -1, 1);
    String body = batch("node-403", 20);
    post(body)
        .then()
        .statusCode(503)
        .header("Retry-After", equalTo("2"))
        .body("error", containsString("Monitoring Metrics Publisher"));
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body(
            "checks.find { it.name == 'azure-sink' }.data.cause", containsString("403 Forbidden"));
    Thread.sleep(2100);
    given().get("/q/health/ready").then().statusCode(200);
    post(body).then().statusCode(202).body("accepted", equalTo(20));
  }

  @Test
  void aFloodIsRefusedWith429AndRetriedBatchesArrive() throws Exception {
    fake.delay(1500);
    List<String> bodies = IntStream.range(0, 6).mapToObj(i -> batch("node-flood", 10)).toList();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Response>> answers = new ArrayList<>();
      for (String body : bodies) {
        answers.add(pool.submit(() -> post(body)));
      }
      List<String> refused = new ArrayList<>();
      for (int i = 0; i < bodies.size(); i++) {
        Response r = answers.get(i).get();
        if (r.statusCode() == 429) {
          assertThat(r.header("Retry-After")).isEqualTo("2");
          refused.add(bodies.get(i));
        } else {
          assertThat(r.statusCode()).isEqualTo(202);
        }
      }
      assertThat(refused).isNotEmpty();
      fake.delay(0);
      for (String body : refused) {
        post(body).then().statusCode(202);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String batch(String node, int n) {
    List<ObjectNode> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(TestEvents.file(node, "/etc/app/conf-" + i + ".yaml"));
    }
    return TestEvents.array(events);
  }

  private static Response post(String body) {
    Response r = given().contentType("application/json").body(body).post("/v1/events");
    if (r.statusCode() == 202) {
      for (JsonNode e : readArray(body)) {
        ACCEPTED.add(e.get("EventId").asText());
      }
    }
    return r;
  }

  private static JsonNode readArray(String body) {
    try {
      return io.kubefim.api.json.Json.mapper().readTree(body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
