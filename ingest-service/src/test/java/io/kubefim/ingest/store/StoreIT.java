package io.kubefim.ingest.store;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.api.event.Attribution;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import io.kubefim.ingest.testing.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** receive → channel → store, and the query endpoints, on in-memory H2. */
@QuarkusTest
class StoreIT {

  @Test
  void arrayNdjsonAndGzipAreStoredOnceAndQueryable() {
    String node = "node-store-" + System.nanoTime();
    ObjectNode a = TestEvents.file(node, "/etc/ssl/cert.pem");
    ObjectNode b = TestEvents.file(node, "/etc/ssl2/other.pem");
    ObjectNode c = TestEvents.agent(node, "BaselineCreated");
    ObjectNode renamed = TestEvents.file(node, "/etc/ssl/new.pem");
    renamed.put("ChangeType", "Renamed");
    renamed.put("OriginalFilePath", "/etc/ssl/old.pem");
    renamed.remove("FieldsChanged");

    given()
        .contentType("application/json")
        .body(TestEvents.array(List.of(a, b)))
        .post("/v1/events")
        .then()
        .statusCode(202)
        .body("accepted", equalTo(2))
        .body("duplicates", equalTo(0));
    given()
        .contentType("application/x-ndjson")
        .header("Content-Encoding", "gzip")
        .body(TestEvents.gzip(TestEvents.ndjson(List.of(c, renamed, a))))
        .post("/v1/events")
        .then()
        .statusCode(202)
        .body("accepted", equalTo(2))
        .body("duplicates", equalTo(1));
    // the same batch again: everything is a duplicate, still 202 (the agent may drop it)
    given()
        .contentType("application/json")
        .body(TestEvents.array(List.of(a, b, a)))
        .post("/v1/events")
        .then()
        .statusCode(202)
        .body("accepted", equalTo(0))
        .body("duplicates", equalTo(3));

    given()
        .queryParam("computer", node)
        .get("/v1/events")
        .then()
        .statusCode(200)
        .body("$", hasSize(4));
    JsonPath underSsl =
        given()
            .queryParam("computer", node)
            .queryParam("pathPrefix", "/etc/ssl/")
            .get("/v1/events")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(underSsl.getList("FilePath", String.class))
        .containsExactlyInAnyOrder("/etc/ssl/cert.pem", "/etc/ssl/new.pem");
    given()
        .queryParam("computer", node)
        .queryParam("entityType", "Agent")
        .get("/v1/events")
        .then()
        .body("$", hasSize(1))
        .body("[0].ChangeType", equalTo("BaselineCreated"));
    given()
        .queryParam("computer", node)
        .queryParam("changeType", "Renamed")
        .get("/v1/events")
        .then()
        .body("[0].OriginalFilePath", equalTo("/etc/ssl/old.pem"));
    given()
        .queryParam("computer", node)
        .queryParam("since", "2024-05-01T10:10:00Z")
        .queryParam("limit", "2")
        .get("/v1/events")
        .then()
        .body("$", hasSize(2))
        .body("[0].TimeGenerated", equalTo("2024-05-01T10:15:30.123Z"));

    JsonPath summary =
        given()
            .queryParam("computer", node)
            .get("/v1/summary")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(summary.getLong("total")).isEqualTo(4);
    assertThat(summary.getList("counts.ChangeType", String.class))
        .containsExactly("BaselineCreated", "Modified", "Renamed");
    assertThat(summary.getList("counts.Count", Long.class)).containsExactly(1L, 2L, 1L);
  }

  @Test
  void everyAttributionColumnIsStoredAndReadBackWhole() throws Exception {
    String node = "node-who-" + System.nanoTime();
    ObjectNode sent = TestEvents.attributed(node, "/etc/app/x.conf");
    given()
        .contentType("application/json")
        .body(TestEvents.array(List.of(sent)))
        .post("/v1/events")
        .then()
        .statusCode(202)
        .body("accepted", equalTo(1));

    String body =
        given()
            .queryParam("computer", node)
            .get("/v1/events")
            .then()
            .statusCode(200)
            .body("$", hasSize(1))
            .extract()
            .asString();
    JsonNode got = Json.mapper().readTree(body).get(0);
    for (String column : ATTRIBUTION_COLUMNS) {
      assertThat(got.has(column)).as(column).isTrue();
      if (column.equals("InitiatingProcessCreationTime")) {
        assertThat(Instant.parse(got.get(column).asText()))
            .isEqualTo(Instant.parse(sent.get(column).asText()));
      } else {
        // as JSON text: a number read back is the same number whatever node class holds it
        assertThat(got.get(column).toString()).as(column).isEqualTo(sent.get(column).toString());
      }
    }
    Attribution read = Json.mapper().treeToValue(got, FimEvent.class).getAttribution();
    assertThat(read)
        .isEqualTo(Json.mapper().treeToValue(sent, FimEvent.class).getAttribution())
        .isNotEqualTo(new Attribution());
    assertThat(read.getProcessCommandLine()).isEqualTo(TestEvents.HOSTILE_COMMAND_LINE);
    assertThat(read.getProcessCount()).isEqualTo(2);
  }

  @Test
  void aBadAttributionValueIsRefusedNamingItsField() {
    ObjectNode bad = TestEvents.attributed("node-who-bad", "/etc/app/x.conf");
    bad.put("PodUid", "not-a-uid");
    bad.put("InitiatingProcessCount", 0);
    given()
        .contentType("application/json")
        .body(TestEvents.array(List.of(bad)))
        .post("/v1/events")
        .then()
        .statusCode(400)
        .body(org.hamcrest.Matchers.containsString("PodUid: expected a UUID"))
        .body(org.hamcrest.Matchers.containsString("InitiatingProcessCount: expected a whole"));
  }

  private static final List<String> ATTRIBUTION_COLUMNS =
      List.of(Attribution.class.getAnnotation(JsonPropertyOrder.class).value());

  @Test
  void badQueryParametersAreNamed() {
    given()
        .queryParam("limit", "0")
        .get("/v1/events")
        .then()
        .statusCode(400)
        .body("error", org.hamcrest.Matchers.startsWith("limit"));
    given().queryParam("since", "yesterday").get("/v1/events").then().statusCode(400);
    given().queryParam("changeType", "Exploded").get("/v1/summary").then().statusCode(400);
    given().queryParam("pathPrefix", "etc").get("/v1/events").then().statusCode(400);
    for (String bad : List.of("yes", "TRUE", "1")) {
      given()
          .queryParam("expected", bad)
          .get("/v1/events")
          .then()
          .statusCode(400)
          .body("error", equalTo("expected: expected true or false"));
      given().queryParam("expected", bad).get("/v1/summary").then().statusCode(400);
    }
  }

  @Test
  void expectedLabelsAreStoredFilteredAndCounted() {
    String node = "node-expected-" + System.nanoTime();
    ObjectNode dpkg = TestEvents.expected(node, "/usr/bin/ls", "PackageManager:/usr/bin/dpkg");
    ObjectNode window = TestEvents.expected(node, "/etc/motd", "MaintenanceWindow:patch-sunday");
    ObjectNode plain = TestEvents.file(node, "/etc/passwd");
    ObjectNode saidNo = TestEvents.file(node, "/etc/shadow");
    saidNo.put("ChangeExpected", false);
    ObjectNode summary = TestEvents.windowClosed(node, "linux", "patch-sunday");
    given()
        .contentType("application/json")
        .body(TestEvents.array(List.of(dpkg, window, plain, saidNo, summary)))
        .post("/v1/events")
        .then()
        .statusCode(202)
        .body("accepted", equalTo(5));

    JsonPath all =
        given().queryParam("computer", node).get("/v1/events").then().extract().jsonPath();
    assertThat(all.getList("$")).hasSize(5);
    assertThat(all.getList("ChangeExpected", Boolean.class)).doesNotContainNull();
    JsonPath unexpected =
        given()
            .queryParam("computer", node)
            .queryParam("expected", "false")
            .get("/v1/events")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(unexpected.getList("FilePath", String.class))
        .containsExactlyInAnyOrder("/etc/passwd", "/etc/shadow");
    assertThat(unexpected.getList("ChangeExpected", Boolean.class)).containsOnly(false);
    JsonPath expected =
        given()
            .queryParam("computer", node)
            .queryParam("expected", "true")
            .get("/v1/events")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(expected.getList("ExpectedReason", String.class))
        .containsExactlyInAnyOrder(
            "PackageManager:/usr/bin/dpkg",
            "MaintenanceWindow:patch-sunday",
            "MaintenanceWindow:patch-sunday");
    assertThat(expected.getList("ChangeType", String.class)).contains("MaintenanceWindowClosed");

    JsonPath counts =
        given().queryParam("computer", node).get("/v1/summary").then().extract().jsonPath();
    assertThat(counts.getLong("total")).isEqualTo(5);
    assertThat(counts.getList("counts", java.util.Map.class))
        .extracting(m -> m.get("ChangeType") + "/" + m.get("ChangeExpected") + "=" + m.get("Count"))
        .containsExactly("MaintenanceWindowClosed/true=1", "Modified/false=2", "Modified/true=2");
    given()
        .queryParam("computer", node)
        .queryParam("expected", "false")
        .get("/v1/summary")
        .then()
        .statusCode(200)
        .body("total", equalTo(2));
  }
}
