package io.kubefim.ingest.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import io.kubefim.ingest.testing.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** POST /v1/events with sinks=kafka against a real broker, and the broker going away. */
@QuarkusTest
@TestProfile(KafkaSinkProfile.class)
class KafkaSinkIT {
  private final KafkaBroker broker = KafkaBroker.shared();

  @Test
  void acceptedEventsAreOnTheTopicKeyedByComputerInTheWireForm() throws Exception {
    String node = "node-kafka-" + System.nanoTime();
    ObjectNode a = TestEvents.file(node + "-a", "/etc/passwd");
    ObjectNode b = TestEvents.attributed(node + "-b", "/etc/shadow");
    ObjectNode c = TestEvents.agent(node + "-a", "BaselineCreated");
    a.put("FilePath", "/var/lib/" + "x".repeat(16_000)); // a 16 KiB path fits one record
    a.put("FileName", "x".repeat(16_000));

    given()
        .contentType("application/json")
        .body(TestEvents.array(List.of(a, b, c)))
        .post("/v1/events")
        .then()
        .statusCode(202)
        .body("accepted", equalTo(3));

    Map<String, ConsumerRecord<String, String>> byId = recordsById(ids(a, b, c));
    assertThat(byId).hasSize(3);
    for (ObjectNode sent : List.of(a, b, c)) {
      ConsumerRecord<String, String> r = byId.get(sent.get("EventId").asText());
      assertThat(r.key()).isEqualTo(sent.get("Computer").asText());
      FimEvent back = Json.mapper().readValue(r.value(), FimEvent.class);
      assertThat(back).isEqualTo(Json.mapper().treeToValue(sent, FimEvent.class));
    }
    given().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void brokerOutageAnswers503WithinTheTimeoutAndTheRetryLosesNothing() {
    String node = "node-kafka-outage-" + System.nanoTime();
    List<ObjectNode> events =
        List.of(
            TestEvents.file(node, "/etc/hosts"),
            TestEvents.file(node, "/etc/resolv.conf"),
            TestEvents.agent(node, "AgentStarted"));
    String body = TestEvents.array(events);
    // the producer has the topic's metadata before the outage, as a running replica would
    given()
        .contentType("application/json")
        .body(TestEvents.array(List.of(TestEvents.agent(node, "AgentStarted"))))
        .post("/v1/events")
        .then()
        .statusCode(202);

    broker.proxy().cut();
    try {
      long start = System.nanoTime();
      int status =
          given().contentType("application/json").body(body).post("/v1/events").statusCode();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(status).as("answer while the broker is unreachable").isEqualTo(503);
      // delivery timeout 4 s + the sink's 2 s margin, plus slack for a loaded machine
      assertThat(took).isLessThan(Duration.ofSeconds(15));
      Wait.until(
          "readiness DOWN while the broker is unreachable",
          Duration.ofSeconds(20),
          () -> given().get("/q/health/ready").statusCode() == 503);
    } finally {
      broker.proxy().restore();
    }

    // the agent retries with the same batch until it gets 202
    Wait.until(
        "202 for the agent's retry once the broker is back",
        Duration.ofSeconds(30),
        () ->
            given().contentType("application/json").body(body).post("/v1/events").statusCode()
                == 202);
    Set<String> ids = ids(events.toArray(ObjectNode[]::new));
    List<ConsumerRecord<String, String>> mine =
        TopicReader.readAll(broker).stream().filter(r -> ids.contains(eventId(r))).toList();
    Map<String, Long> copies =
        mine.stream().collect(Collectors.groupingBy(KafkaSinkIT::eventId, Collectors.counting()));
    // at-least-once: every event is there; a copy of the failed attempt may be too, not more
    assertThat(copies.keySet()).isEqualTo(ids);
    assertThat(copies.values()).allSatisfy(n -> assertThat(n).isBetween(1L, 2L));
    Wait.until(
        "readiness UP again",
        Duration.ofSeconds(20),
        () -> given().get("/q/health/ready").statusCode() == 200);
  }

  private Map<String, ConsumerRecord<String, String>> recordsById(Set<String> ids) {
    return TopicReader.readAll(broker).stream()
        .filter(r -> ids.contains(eventId(r)))
        .collect(Collectors.toMap(KafkaSinkIT::eventId, Function.identity(), (x, y) -> x));
  }

  static String eventId(ConsumerRecord<String, String> r) {
    try {
      return Json.mapper().readTree(r.value()).path("EventId").asText();
    } catch (Exception e) {
      return "";
    }
  }

  static Set<String> ids(ObjectNode... events) {
    return java.util.Arrays.stream(events)
        .map(e -> e.get("EventId").asText())
        .collect(Collectors.toSet());
  }
}
