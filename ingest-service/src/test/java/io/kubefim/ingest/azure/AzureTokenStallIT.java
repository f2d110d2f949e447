package io.kubefim.ingest.azure;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.ingest.azure.fake.FakeAzureResource;
import io.kubefim.ingest.azure.fake.FakeLogsIngestion;
import io.kubefim.ingest.testing.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A token endpoint that hangs: the sink's {@code upload-timeout} (3s here) bounds the whole
 * attempt, token included, well before the HTTP request's {@code ack-timeout} (20s). The batch is
 * not acknowledged; sent again once tokens flow, every event arrives once.
 */
@QuarkusTest
@TestProfile(AzureTokenStallProfile.class)
class AzureTokenStallIT {
  @Test
  void aHangingTokenRequestIsBoundedByTheUploadDeadlineAndTheBatchIsRetriedLater() {
    FakeLogsIngestion fake = FakeAzureResource.fake();
    fake.clearFaults();
    List<ObjectNode> events = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      events.add(TestEvents.file("node-stall", "/etc/app/stall-" + i + ".yaml"));
    }
    String body = TestEvents.array(events);

    fake.stallTokens(true);
    try {
      Response r = given().contentType("application/json").body(body).post("/v1/events");
      // the sink's own deadline answered, not the HTTP wait ("did not take the batch within 20s")
      r.then().statusCode(503).body("error", containsString("upload-timeout"));
      assertThat(r.header("Retry-After")).isNotBlank();
      assertThat(fake.stalledTokenRequests()).isGreaterThanOrEqualTo(1);
      assertThat(fake.records()).isEmpty();
    } finally {
      fake.stallTokens(false);
    }

    given()
        .contentType("application/json")
        .body(body)
        .post("/v1/events")
        .then()
        .statusCode(202)
        .body("accepted", equalTo(7));
    List<String> ids = fake.records().stream().map(x -> x.get("EventId").asText()).toList();
    for (ObjectNode e : events) {
      assertThat(ids).containsOnlyOnce(e.get("EventId").asText());
    }
    assertThat(fake.violations()).isEmpty();
  }
}
