package io.kubefim.ingest.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.ingest.testing.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Relay mode: events on the topic end up in the store, at least once, whatever fails. */
@QuarkusTest
@TestProfile(KafkaRelayProfile.class)
class KafkaRelayIT {
  private final KafkaBroker broker = KafkaBroker.shared();

  @AfterEach
  void calm() {
    FlakySink.refuse.set(0);
    broker.proxy().restore();
  }

  @Test
  void eventsOnTheTopicAreStoredAndMalformedRecordsSkippedAndCounted() {
    String node = "node-relay-" + System.nanoTime();
    double malformedBefore = metric("kubefim_ingest_kafka_relay_malformed_total");
    List<ObjectNode> events = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      events.add(TestEvents.file(node, "/etc/conf-" + i));
    }
    try (KafkaProducer<String, String> p = producer()) {
      p.send(new ProducerRecord<>(KafkaBroker.TOPIC, node, "not json {"));
      ObjectNode invalid = TestEvents.file(node, "relative/path"); // fails validation
      p.send(new ProducerRecord<>(KafkaBroker.TOPIC, node, invalid.toString()));
      send(p, node, events);
      send(p, node, events.subList(0, 5)); // an agent's retry: the same EventIds again
    }
    Wait.until("20 events stored", Duration.ofSeconds(30), () -> stored(node) == 20);
    assertThat(metric("kubefim_ingest_kafka_relay_malformed_total") - malformedBefore)
        .isEqualTo(2.0);
    Wait.until("offsets committed to the end", Duration.ofSeconds(20), this::committedToEnd);
    assertThat(stored(node)).isEqualTo(20);
  }

  @Test
  void aRefusedBatchIsRetriedNotSkippedAndItsOffsetsWaitForTheSinks() throws Exception {
    String node = "node-relay-flaky-" + System.nanoTime();
    Wait.until("earlier records committed", Duration.ofSeconds(30), this::committedToEnd);
    FlakySink.refuse.set(-1); // refuse until told otherwise
    int refusedBefore = FlakySink.refused.get();
    List<ObjectNode> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      events.add(TestEvents.file(node, "/usr/bin/tool-" + i));
    }
    try (KafkaProducer<String, String> p = producer()) {
      send(p, node, events);
    }
    Wait.until(
        "the sink refused the batch 3 times",
        Duration.ofSeconds(20),
        () -> FlakySink.refused.get() - refusedBefore >= 3);
    assertThat(committedToEnd()).as("offsets of a refused batch are not committed").isFalse();

    // the broker goes away while the batch is still refused, and the sink recovers meanwhile
    broker.proxy().cut();
    FlakySink.refuse.set(0);
    Thread.sleep(1500); // an outage long enough for the relay to notice (commits fail)
    broker.proxy().restore();

    Wait.until("all 10 events stored", Duration.ofSeconds(40), () -> stored(node) == 10);
    Wait.until("offsets committed after the outage", Duration.ofSeconds(40), this::committedToEnd);
    // and what is written after the outage goes through too
    List<ObjectNode> later = List.of(TestEvents.agent(node, "AgentStarted"));
    try (KafkaProducer<String, String> p = producer()) {
      send(p, node, later);
    }
    Wait.until("the later event stored", Duration.ofSeconds(30), () -> stored(node) == 11);
  }

  private static void send(KafkaProducer<String, String> p, String key, List<ObjectNode> events) {
    for (ObjectNode e : events) {
      p.send(new ProducerRecord<>(KafkaBroker.TOPIC, key, e.toString()));
    }
    p.flush();
  }

  private KafkaProducer<String, String> producer() {
    Properties props = new Properties();
    props.putAll(broker.clientProperties());
    props.put("acks", "all");
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  private static int stored(String node) {
    return given()
        .queryParam("computer", node)
        .queryParam("limit", 1000)
        .get("/v1/events")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("$")
        .size();
  }

  private static double metric(String name) {
    String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
    return text.lines()
        .filter(l -> l.startsWith(name))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** True when the relay's group has committed every partition's end offset. */
  private boolean committedToEnd() {
    try (Admin admin = broker.admin()) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(KafkaRelayProfile.GROUP)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      List<TopicPartition> parts =
          List.of(
              new TopicPartition(KafkaBroker.TOPIC, 0), new TopicPartition(KafkaBroker.TOPIC, 1));
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      parts.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
      for (TopicPartition tp : parts) {
        long end = ends.get(tp).offset();
        OffsetAndMetadata c = committed.get(tp);
        if (end > 0 && (c == null || c.offset() < end)) {
          return false;
        }
      }
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
