package io.kubefim.ingest.store;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.ingest.testing.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Paths longer than a btree entry may be (PostgreSQL refuses index rows over about 2,704 bytes): an
 * event with such a FilePath is stored with the rest of its batch and found by path prefix, also
 * when the prefix itself is longer than the indexed part of the path (V5, {@code path_key}).
 */
@QuarkusTest
class StoreLongPathIT {

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  /**
   * {@code root} then random 200-character segments up to {@code bytes} bytes: random, because
   * PostgreSQL compresses an index entry before it refuses it, and a repeated letter compresses.
   */
  static String deepPath(String root, int bytes) {
    Random random = new Random(bytes);
    StringBuilder p = new StringBuilder(root);
    while (p.length() < bytes) {
      p.append('/');
      for (int i = 0; i < 200; i++) {
        p.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
    }
    return p.toString();
  }

  @Test
  void aBatchWithA4000BytePathIsStoredWholeAndFoundByPrefix() {
    String node = "node-long-" + System.nanoTime();
    String root = "/var/lib/deep-" + System.nanoTime();
    String longPath = deepPath(root + "/a", 4000) + "/file.txt";
    // a query travels in the URL (at most 4 KB): prefixes up to 1,500 characters here, all past
    // the 512 indexed characters. The sibling shares the first 1,500 characters, then branches.
    int cut = 1500;
    while (longPath.charAt(cut - 1) == '/' || longPath.charAt(cut) == '/') {
      cut++;
    }
    String shared = longPath.substring(0, cut);
    String sibling = shared + "-other/file.txt";
    // multi-byte characters (3 bytes each), random so they do not compress
    StringBuilder w = new StringBuilder(root + "/w/");
    Random random = new Random(7);
    for (int i = 0; i < 1100; i++) {
      w.append((char) ('\u4e00' + random.nextInt(2000)));
    }
    String wide = w + ".conf";
    assertThat(longPath.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(4000);
    assertThat(wide.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(3300);
    List<ObjectNode> batch =
        List.of(
            TestEvents.file(node, "/etc/ssl/cert.pem"),
            TestEvents.file(node, longPath),
            TestEvents.file(node, sibling),
            TestEvents.file(node, wide),
            TestEvents.file(node, root + "/short.conf"));

    given()
        .contentType("application/json")
        .body(TestEvents.array(batch))
        .post("/v1/events")
        .then()
        .statusCode(202)
        .body("accepted", equalTo(5));

    assertThat(paths(node, root))
        .containsExactlyInAnyOrder(longPath, sibling, wide, root + "/short.conf");
    assertThat(paths(node, "/etc/ssl")).containsExactly("/etc/ssl/cert.pem");
    // prefixes longer than the indexed part of the path: still exact, segment-aware
    String both = longPath.substring(0, longPath.lastIndexOf('/', cut));
    assertThat(paths(node, both)).containsExactlyInAnyOrder(longPath, sibling);
    String dir = longPath.substring(0, longPath.indexOf('/', cut));
    assertThat(paths(node, dir)).containsExactly(longPath);
    assertThat(paths(node, shared)).isEmpty(); // not a segment boundary of either path
    assertThat(paths(node, shared + "-other")).containsExactly(sibling);
    assertThat(paths(node, sibling)).containsExactly(sibling);
    assertThat(paths(node, root + "/w")).containsExactly(wide);
    // and the machine's page lists it with the rest
    assertThat(paths(node, "/")).hasSize(5);
  }

  @Inject EventStore store;

  /**
   * The path query can be served by path_key's index (PostgreSQL: with sequential scans off, as a
   * table this small would rather be read whole; H2 picks it by itself).
   */
  @Test
  void aPathPrefixQueryUsesThePathKeyIndex() throws Exception {
    EventQuery.Sql sql =
        new EventQuery(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of("/etc/ssl"),
                Optional.empty(),
                100)
            .toSql();
    StringBuilder plan = new StringBuilder();
    try (Connection c = store.dataSource().getConnection()) {
      boolean postgres =
          c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
      if (postgres) {
        try (Statement s = c.createStatement()) {
          // a generic plan (LIKE $1) could not use the index: every connection plans with values
          try (ResultSet mode = s.executeQuery("SHOW plan_cache_mode")) {
            assertThat(mode.next()).isTrue();
            assertThat(mode.getString(1)).isEqualTo("force_custom_plan");
          }
          s.execute("SET enable_seqscan = off");
        }
      }
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql.text())) {
        for (int i = 0; i < sql.params().size(); i++) {
          ps.setObject(i + 1, sql.params().get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
      } finally {
        if (postgres) {
          try (Statement s = c.createStatement()) {
            s.execute("RESET enable_seqscan");
          }
        }
      }
    }
    System.out.println("path query plan:\n" + plan);
    assertThat(plan.toString().toLowerCase()).contains("ix_kubefim_events_path_key");
  }

  private static List<String> paths(String node, String prefix) {
    return given()
        .queryParam("computer", node)
        .queryParam("pathPrefix", prefix)
        .get("/v1/events")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("FilePath", String.class);
  }
}
