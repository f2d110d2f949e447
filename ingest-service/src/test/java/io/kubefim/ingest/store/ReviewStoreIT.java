package io.kubefim.ingest.store;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.ingest.testing.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Marking a machine's unexpected changes reviewed (issue 17) on in-memory H2: exactly the
 * unreviewed unexpected File changes through the seq shown, only when their number is the count
 * shown; expected changes and Agent events are never marked.
 */
@QuarkusTest
class ReviewStoreIT {
  @Inject ReviewStore reviews;
  @Inject EventStore store;

  @Test
  void marksExactlyTheUnreviewedUnexpectedChangesThroughTheSeqShown() throws Exception {
    String node = "review-" + System.nanoTime();
    post(
        TestEvents.file(node, "/etc/a"),
        TestEvents.file(node, "/etc/b"),
        TestEvents.expected(node, "/usr/bin/ls", "PackageManager:/usr/bin/dpkg"),
        TestEvents.agent(node, "CoverageGap"));
    ReviewStore.Unreviewed u = reviews.unreviewed(node);
    assertThat(u.count()).isEqualTo(2);

    ReviewStore.Outcome done = reviews.markReviewed(node, u.throughSeq(), 2, "alice");
    assertThat(done).isInstanceOf(ReviewStore.Marked.class);
    assertThat(((ReviewStore.Marked) done).count()).isEqualTo(2);
    assertThat(reviews.unreviewed(node).count()).isZero();

    JsonPath events =
        given().queryParam("computer", node).get("/v1/events").then().extract().jsonPath();
    List<String> reviewed = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      reviewed.add(
          events.getString("[" + i + "].FilePath")
              + "="
              + events.getString("[" + i + "].ReviewedBy"));
    }
    assertThat(reviewed)
        .containsExactlyInAnyOrder("/etc/a=alice", "/etc/b=alice", "/usr/bin/ls=null", "null=null");
    // the same form sent twice: nothing left to mark, so not the count shown
    assertThat(reviews.markReviewed(node, u.throughSeq(), 2, "alice"))
        .isEqualTo(new ReviewStore.Mismatch(0));
  }

  @Test
  void aCountOtherThanTheStoresMarksNothing() throws Exception {
    String node = "review-count-" + System.nanoTime();
    post(
        TestEvents.file(node, "/etc/a"),
        TestEvents.file(node, "/etc/b"),
        TestEvents.file(node, "/etc/c"));
    ReviewStore.Unreviewed u = reviews.unreviewed(node);
    assertThat(reviews.markReviewed(node, u.throughSeq(), 2, "alice"))
        .isEqualTo(new ReviewStore.Mismatch(3));
    assertThat(reviews.unreviewed(node)).isEqualTo(u);
  }

  @Test
  void aChangeCommittedLateWithALowerSeqIsNeverMarkedUnseen() throws Exception {
    String node = "review-late-" + System.nanoTime();
    // seq values far above anything the identity hands out, so they never collide with it
    long base = 4_000_000_000_000_000_000L + (System.nanoTime() % 1_000_000_000L) * 100;
    insert(node, base + 10, "/etc/seen");
    ReviewStore.Unreviewed shown = reviews.unreviewed(node);
    assertThat(shown).isEqualTo(new ReviewStore.Unreviewed(1, base + 10));
    insert(node, base + 5, "/etc/late"); // committed after the page was shown, lower seq

    assertThat(reviews.markReviewed(node, shown.throughSeq(), shown.count(), "alice"))
        .isEqualTo(new ReviewStore.Mismatch(2));
    assertThat(reviews.unreviewed(node).count()).isEqualTo(2);

    ReviewStore.Unreviewed reloaded = reviews.unreviewed(node);
    assertThat(reviews.markReviewed(node, reloaded.throughSeq(), reloaded.count(), "alice"))
        .isInstanceOf(ReviewStore.Marked.class);
    assertThat(reviews.unreviewed(node).count()).isZero();
  }

  @Test
  void twoReviewersAtOnceMarkTheChangesOnce() throws Exception {
    String node = "review-race-" + System.nanoTime();
    post(TestEvents.file(node, "/etc/a"), TestEvents.file(node, "/etc/b"));
    ReviewStore.Unreviewed u = reviews.unreviewed(node);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<ReviewStore.Outcome>> both = new ArrayList<>();
      for (String who : List.of("alice", "bob")) {
        Callable<ReviewStore.Outcome> mark =
            () -> reviews.markReviewed(node, u.throughSeq(), u.count(), who);
        both.add(pool.submit(mark));
      }
      List<ReviewStore.Outcome> outcomes = new ArrayList<>();
      for (Future<ReviewStore.Outcome> f : both) {
        outcomes.add(f.get());
      }
      assertThat(outcomes).filteredOn(o -> o instanceof ReviewStore.Marked).hasSize(1);
      assertThat(outcomes).contains(new ReviewStore.Mismatch(0));
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * On H2, the review's count and UPDATE use V8's index, a machine's unexpected list V7's.
   * PostgreSQL's planner picks by statistics: on a table this small it takes any index that starts
   * with computer (ix_kubefim_events_computer_change_time), so it is not asked here.
   */
  @Test
  void theQueriesUseTheirIndexes() throws Exception {
    String node = "review-plan-" + System.nanoTime();
    post(TestEvents.file(node, "/etc/a"));
    try (Connection c = store.dataSource().getConnection()) {
      if (!c.getMetaData().getDatabaseProductName().toLowerCase().contains("h2")) {
        return;
      }
    }
    assertThat(plan(ReviewStore.COUNT_SQL, List.of(node))).contains("ix_kubefim_events_unreviewed");
    assertThat(
            plan(
                ReviewStore.MARK_SQL,
                List.of(Instant.now().atOffset(ZoneOffset.UTC), "alice", node, 10L)))
        .contains("ix_kubefim_events_unreviewed");
    EventQuery.Sql list =
        new EventQuery(
                java.util.Optional.of(node),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.of(Instant.now().minusSeconds(86_400)),
                51)
            .withExpected(false)
            .toSql();
    assertThat(plan(list.text(), list.params()))
        .contains("ix_kubefim_events_computer_expected_time")
        .contains("index sorted"); // read backwards, stopped at the limit: no sort
  }

  private String plan(String sql, List<Object> params) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (Connection c = store.dataSource().getConnection()) {
      boolean postgres =
          c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
      if (postgres) {
        try (java.sql.Statement s = c.createStatement()) {
          s.execute("SET enable_seqscan = off");
        }
      }
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
        for (int i = 0; i < params.size(); i++) {
          Object p = params.get(i);
          ps.setObject(i + 1, p instanceof Instant t ? t.atOffset(ZoneOffset.UTC) : p);
        }
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
      } finally {
        if (postgres) {
          try (java.sql.Statement s = c.createStatement()) {
            s.execute("RESET enable_seqscan");
          }
        }
      }
    }
    System.out.println("plan of " + sql + ":\n" + plan);
    return plan.toString().toLowerCase();
  }

  private static void post(ObjectNode... events) {
    given()
        .contentType("application/json")
        .body(TestEvents.array(List.of(events)))
        .post("/v1/events")
        .then()
        .statusCode(202);
  }

  /** A row as another replica's slow transaction would commit it: with a seq of its own. */
  private void insert(String node, long seq, String path) throws SQLException {
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO kubefim_events (seq, event_id, time_generated, computer,"
                    + " entity_type, change_type, file_path, received_at, schema_version,"
                    + " event_json) VALUES (?, ?, ?, ?, 'File', 'Modified', ?, ?, 1, ?)")) {
      String id = UUID.randomUUID().toString();
      ps.setLong(1, seq);
      ps.setString(2, id);
      ps.setObject(3, Instant.now().atOffset(ZoneOffset.UTC));
      ps.setString(4, node);
      ps.setString(5, path);
      ps.setObject(6, Instant.now().atOffset(ZoneOffset.UTC));
      ps.setString(7, TestEvents.file(node, path).put("EventId", id).toString());
      ps.executeUpdate();
    }
  }
}
