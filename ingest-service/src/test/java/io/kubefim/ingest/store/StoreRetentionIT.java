package io.kubefim.ingest.store;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.ingest.testing.TestEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The retention bounds on a real H2 store of its own: age first, then size, newest kept. */
@QuarkusTest
@TestProfile(StoreRetentionIT.Bounds.class)
class StoreRetentionIT {
  /** A store of its own (other ITs' rows are not for deleting) with small bounds. */
  public static class Bounds implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.datasource.jdbc.url", "jdbc:h2:mem:kubefim-retention;DB_CLOSE_DELAY=-1",
          "kubefim.ingest.store.retention", "1d",
          "kubefim.ingest.store.max-events", "50",
          "kubefim.ingest.store.retention-interval", "1h");
    }
  }

  @Inject StoreRetention retention;
  @Inject EventStore store;
  @Inject MeterRegistry metrics;

  @Test
  void oldRowsGoThenTheOldestBeyondMaxEventsAndTheNewestNeverGoes() throws Exception {
    List<String> ids = new ArrayList<>(); // in arrival order
    for (int b = 0; b < 4; b++) {
      List<ObjectNode> batch = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        ObjectNode e = TestEvents.file("node-retention", "/etc/r/" + b + "/" + i);
        batch.add(e);
        ids.add(e.get("EventId").asText());
      }
      given()
          .contentType("application/json")
          .body(TestEvents.array(batch))
          .post("/v1/events")
          .then()
          .statusCode(202);
    }
    assertThat(storedInArrivalOrder()).isEqualTo(ids);

    // the first batch was received two days ago: past the 1-day retention
    age(ids.subList(0, 20), Instant.now().minus(2, ChronoUnit.DAYS));
    StoreRetention.Result r = retention.run();
    assertThat(r).isEqualTo(new StoreRetention.Result(20, 10, 50));
    assertThat(storedInArrivalOrder()).isEqualTo(ids.subList(30, 80));
    assertThat(deleted("age")).isEqualTo(20);
    assertThat(deleted("size")).isEqualTo(10);
    assertThat(metrics.get("kubefim.ingest.store.rows").gauge().value()).isEqualTo(50);

    // within both bounds: nothing goes
    assertThat(retention.run()).isEqualTo(new StoreRetention.Result(0, 0, 50));

    // everything is old (a quiet cluster): all but the newest row go
    age(ids.subList(30, 80), Instant.now().minus(10, ChronoUnit.DAYS));
    assertThat(retention.run()).isEqualTo(new StoreRetention.Result(49, 0, 1));
    assertThat(storedInArrivalOrder()).containsExactly(ids.get(79));
  }

  private double deleted(String bound) {
    return metrics
        .get("kubefim.ingest.store.retention.deleted")
        .tag("bound", bound)
        .counter()
        .count();
  }

  private List<String> storedInArrivalOrder() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT event_id FROM kubefim_events WHERE computer = 'node-retention' ORDER BY seq");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private void age(List<String> eventIds, Instant receivedAt) throws Exception {
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE kubefim_events SET received_at = ? WHERE event_id = ?")) {
      for (String id : eventIds) {
        ps.setObject(1, receivedAt.atOffset(ZoneOffset.UTC));
        ps.setString(2, id);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
