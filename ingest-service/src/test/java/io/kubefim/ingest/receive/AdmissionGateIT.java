package io.kubefim.ingest.receive;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Admission counts requests waiting for a worker thread: with the sink slow (each upload to Azure
 * takes 6 s) and only two worker threads, both stuck waiting for the sink, the requests beyond the
 * permits and the waiting line ({@code max-waiting}) are answered 429 with Retry-After at once,
 * instead of queueing for a worker until the stall ends. Those in the waiting line get the permits
 * freed when the stall ends (no 429). Every batch is taken in the end (the refused ones when
 * resent).
 */
@QuarkusTest
@TestProfile(AdmissionGateIT.FewWorkers.class)
class AdmissionGateIT {
  private static final int REQUESTS = 10;
  private static final int PERMITS = 4;
  private static final int WAITING = 2;

  public static class FewWorkers implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(
          new TestResourceEntry(
              FakeAzureResource.class,
              Map.of(
                  "kubefim.ingest.pipeline.max-in-flight-batches", Integer.toString(PERMITS),
                  "kubefim.ingest.pipeline.max-waiting", Integer.toString(WAITING),
                  "kubefim.ingest.pipeline.admission-wait", "20s",
                  "quarkus.thread-pool.max-threads", "2",
                  "kubefim.ingest.azure.upload-timeout", "10s",
                  "kubefim.ingest.pipeline.ack-timeout", "30s")));
    }
  }

  @Test
  void requestsBeyondThePermitsAre429AtOnceEvenWhileTheyWouldWaitForAWorker() throws Exception {
    FakeLogsIngestion fake = FakeAzureResource.fake();
    fake.clearFaults();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      bodies.add(TestEvents.array(List.of(TestEvents.file("node-gate-" + i, "/etc/gate/" + i))));
    }
    fake.delay(6000);
    List<CompletableFuture<Response>> answers = new ArrayList<>();
    List<Response> refused = new ArrayList<>();
    // one thread per client (the common pool has one thread on a 2-core machine)
    ExecutorService clients = Executors.newFixedThreadPool(REQUESTS);
    try {
      for (String body : bodies) {
        answers.add(
            CompletableFuture.supplyAsync(
                () -> given().contentType("application/json").body(body).post("/v1/events"),
                clients));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (refused.size() < REQUESTS - PERMITS - WAITING && System.nanoTime() < deadline) {
        refused.clear();
        for (CompletableFuture<Response> a : answers) {
          if (a.isDone() && a.get().statusCode() == 429) {
            refused.add(a.get());
          }
        }
        Thread.sleep(20);
      }
      assertThat(refused)
          .as("answered 429 while the sink was slow and both workers waited for it")
          .hasSize(REQUESTS - PERMITS - WAITING);
      for (Response r : refused) {
        assertThat(r.header("Retry-After")).isNotBlank();
        assertThat(r.jsonPath().getString("error")).contains(PERMITS + " batches in flight");
      }
    } finally {
      fake.delay(0);
      clients.shutdown();
    }
    int refusedFirst = 0;
    for (CompletableFuture<Response> a : answers) {
      refusedFirst += a.get(60, TimeUnit.SECONDS).statusCode() == 429 ? 1 : 0;
    }
    assertThat(refusedFirst)
        .as("only those beyond the waiting line were refused: the waiting got the freed permits")
        .isEqualTo(REQUESTS - PERMITS - WAITING);
    for (int i = 0; i < REQUESTS; i++) {
      int status = answers.get(i).get(60, TimeUnit.SECONDS).statusCode();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (status != 202) { // refused (or timed out): the agent resends until it is taken
        assertThat(status).isIn(429, 503);
        assertThat(System.nanoTime()).as("batch %d taken in time", i).isLessThan(deadline);
        Thread.sleep(200);
        status =
            given()
                .contentType("application/json")
                .body(bodies.get(i))
                .post("/v1/events")
                .statusCode();
      }
    }
    assertThat(fake.records().stream().map(r -> r.get("Computer").asText()).distinct())
        .hasSize(REQUESTS);
  }
}
