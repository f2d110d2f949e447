package io.kubefim.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.ingest.testing.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * A store made by an older version (migrated to V4, holding events) upgrades to the current schema
 * as Flyway does at start-up, on H2 and on PostgreSQL: the old rows get their path_key and are
 * found by path prefix, a path longer than a btree entry is stored afterwards, and rows labelled
 * expected in their JSON get the V7 columns.
 */
class StoreUpgradeIT {

  @Test
  void anH2StoreOfV4Upgrades() throws Exception {
    upgrade("jdbc:h2:mem:kubefim-upgrade-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "h2");
  }

  @Test
  @EnabledIf(
      value = "io.kubefim.ingest.testing.Postgres#available",
      disabledReason =
          "PostgreSQL's server binaries are not installed (apt-get install postgresql)")
  void aPostgresqlStoreOfV4Upgrades() throws Exception {
    try (Postgres.Cluster pg = Postgres.Cluster.start()) {
      upgrade(pg.jdbcUrl(), Postgres.Cluster.USER, "postgresql");
    }
  }

  private static void upgrade(String url, String user, String vendor) throws Exception {
    String[] locations = {"classpath:db/migration", "classpath:db/vendor/" + vendor};
    Flyway.configure().dataSource(url, user, "").locations(locations).target("4").load().migrate();
    try (Connection c = DriverManager.getConnection(url, user, "")) {
      insert(c, "/etc/ssl/old.pem");
      insert(c, "/etc/ssl2/old.pem");
      // stored labelled before V7 made the label a column (the api module had it first)
      insert(
          c,
          "/usr/bin/ls",
          "{\"FilePath\":\"/usr/bin/ls\",\"ChangeExpected\":true,"
              + "\"ExpectedReason\":\"PackageManager:/usr/bin/dpkg\"}");
      // a path that only looks like the label: a JSON string escapes its quotes
      insert(
          c, "/tmp/\"ChangeExpected\":true", "{\"FilePath\":\"/tmp/\\\"ChangeExpected\\\":true\"}");
    }

    Flyway current = Flyway.configure().dataSource(url, user, "").locations(locations).load();
    assertThat(current.migrate().migrationsExecuted).isGreaterThanOrEqualTo(1);
    assertThat(current.info().pending()).as("migrations left after migrate()").isEmpty();
    assertThat(current.info().current().getVersion().isAtLeast("5")).isTrue();

    try (Connection c = DriverManager.getConnection(url, user, "")) {
      // random characters: over PostgreSQL's btree limit even compressed (V4's index refused it)
      String longPath = StoreLongPathIT.deepPath("/var/deep", 4000);
      insert(c, longPath);
      assertThat(find(c, "/etc/ssl")).containsExactly("/etc/ssl/old.pem");
      assertThat(find(c, "/var/deep")).containsExactly(longPath);
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT file_path, change_expected, expected_reason FROM kubefim_events"
                  + " ORDER BY file_path")) {
        List<String> labels = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            labels.add(rs.getString(1) + " " + rs.getBoolean(2) + " " + rs.getString(3));
          }
        }
        assertThat(labels)
            .contains(
                "/etc/ssl/old.pem false null",
                "/usr/bin/ls true PackageManager:/usr/bin/dpkg",
                "/tmp/\"ChangeExpected\":true false null");
      }
      try (PreparedStatement ps =
          c.prepareStatement("SELECT path_key FROM kubefim_events WHERE file_path = ?")) {
        ps.setString(1, "/etc/ssl2/old.pem");
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("/etc/ssl2/old.pem");
        }
      }
    }
  }

  private static void insert(Connection c, String path) throws SQLException {
    insert(c, path, "{\"FilePath\":\"" + path + "\"}");
  }

  /** As EventStore inserted before V7 (the columns it named; path_key is generated). */
  private static void insert(Connection c, String path, String json) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO kubefim_events (event_id, time_generated, computer, entity_type,"
                + " change_type, file_path, received_at, schema_version, event_json)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, UUID.randomUUID().toString());
      ps.setObject(2, Instant.now().atOffset(ZoneOffset.UTC));
      ps.setString(3, "node-upgrade");
      ps.setString(4, "File");
      ps.setString(5, "Modified");
      ps.setString(6, path);
      ps.setObject(7, Instant.now().atOffset(ZoneOffset.UTC));
      ps.setInt(8, 1);
      ps.setString(9, json);
      ps.executeUpdate();
    }
  }

  private static List<String> find(Connection c, String prefix) throws SQLException {
    EventQuery.Sql sql =
        new EventQuery(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(prefix),
                Optional.empty(),
                100)
            .toSql();
    String text = sql.text().replace("SELECT " + EventQuery.COLUMNS, "SELECT file_path");
    assertThat(text).startsWith("SELECT file_path");
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(text)) {
      for (int i = 0; i < sql.params().size(); i++) {
        ps.setObject(i + 1, sql.params().get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
