package io.kubefim.ingest.pipeline;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.ingest.azure.fake.FakeAzureResource;
import io.kubefim.ingest.azure.fake.FakeLogsIngestion;
import io.kubefim.ingest.testing.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The byte budget over HTTP: while one large batch sits in a sink (Azure's token endpoint hangs), a
 * second one that does not fit in {@code max-in-flight-bytes} is refused with 429 and Retry-After,
 * although batch permits are free; once the first has left the sinks its bytes are given back and
 * the second is taken.
 */
@QuarkusTest
@TestProfile(ByteBudgetIT.Budget.class)
class ByteBudgetIT {
  public static class Budget implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(
          new TestResourceEntry(
              FakeAzureResource.class,
              Map.of(
                  "kubefim.ingest.receive.max-request-bytes", "1048576",
                  "kubefim.ingest.pipeline.max-in-flight-bytes", "1048576",
                  "kubefim.ingest.pipeline.max-in-flight-batches", "16",
                  "kubefim.ingest.azure.upload-timeout", "3s",
                  "kubefim.ingest.pipeline.ack-timeout", "20s")));
    }
  }

  @Test
  void aBodyThatDoesNotFitTheBytesInFlightIsRefusedWith429UntilTheyAreGivenBack() throws Exception {
    FakeLogsIngestion fake = FakeAzureResource.fake();
    fake.clearFaults();
    String first = bigBatch("node-budget-a", 1000);
    String second = bigBatch("node-budget-b", 1000);
    assertThat(first.length()).isBetween(600_000, 1_000_000); // each fits alone, two do not

    fake.stallTokens(true);
    CompletableFuture<Response> inSink;
    try {
      inSink =
          CompletableFuture.supplyAsync(
              () -> given().contentType("application/json").body(first).post("/v1/events"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a loaded CI machine
      while (fake.stalledTokenRequests() < 1) {
        assertThat(System.nanoTime()).as("the first batch reached the sink").isLessThan(deadline);
        Thread.sleep(20);
      }

      Response refused = given().contentType("application/json").body(second).post("/v1/events");
      refused.then().statusCode(429).body("error", containsString("bytes in flight"));
      assertThat(refused.header("Retry-After")).isNotBlank();
    } finally {
      fake.stallTokens(false);
    }
    int firstStatus = inSink.get(20, TimeUnit.SECONDS).statusCode();
    assertThat(firstStatus).isIn(202, 503); // taken once tokens flowed, or timed out

    // its bytes went back with it: the refused batch is taken now (and the first, if it timed out)
    given()
        .contentType("application/json")
        .body(second)
        .post("/v1/events")
        .then()
        .statusCode(202)
        .body("accepted", equalTo(1000));
    if (firstStatus == 503) {
      given().contentType("application/json").body(first).post("/v1/events").then().statusCode(202);
    }
    assertThat(fake.records().stream().map(r -> r.get("EventId").asText()).distinct())
        .hasSize(2000);
  }

  private static String bigBatch(String computer, int n) {
    List<ObjectNode> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(TestEvents.file(computer, "/etc/app/budget/" + i));
    }
    return TestEvents.array(events);
  }
}
