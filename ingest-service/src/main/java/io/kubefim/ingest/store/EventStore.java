package io.kubefim.ingest.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import io.kubefim.ingest.IngestConfig;
import io.kubefim.ingest.IngestConfig.SinkKind;
import io.kubefim.ingest.pipeline.IngestBatch;
import io.kubefim.ingest.pipeline.SinkDispatcher;
import io.kubefim.ingest.pipeline.SinkException;
import io.quarkus.agroal.runtime.AgroalDataSourceUtil;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The {@code store} sink and the queries on it. Durability: {@link #accept} returns after the
 * transaction holding the batch committed to the file (and, with {@code fsync}, was synced to the
 * device): see {@link CommitDurability} for what that survives on H2 and PostgreSQL. Dedup: EventId
 * is unique; events already stored are skipped, and a race between two batches with the same
 * EventId (a unique-key violation) retries the transaction once, which then skips them. Thread-safe
 * (one connection per call).
 */
@ApplicationScoped
public class EventStore implements SinkDispatcher.KindedSink {
  private static final Logger LOG = Logger.getLogger(EventStore.class);
  private static final String UNIQUE_VIOLATION = "23505";
  private static final int IN_CHUNK = 500;

  private final IngestConfig config;
  private final ObjectMapper mapper = Json.mapper();
  private volatile AgroalDataSource dataSource;
  private volatile CommitDurability durability;

  @Inject
  public EventStore(IngestConfig config) {
    this.config = config;
  }

  @Override
  public SinkKind kind() {
    return SinkKind.STORE;
  }

  @Override
  public String name() {
    return "store";
  }

  @Override
  public void start() {
    durability();
  }

  /** Sets the database up for durable commits once (start-up, or the first batch in tests). */
  CommitDurability durability() {
    CommitDurability d = durability;
    if (d == null) {
      synchronized (this) {
        d = durability;
        if (d == null) {
          try (Connection c = dataSource().getConnection()) {
            d = CommitDurability.configure(c, config.store().fsync());
          } catch (SQLException e) {
            throw new IllegalStateException(
                "store: cannot set up durable commits on datasource "
                    + config.store().datasource()
                    + ": "
                    + e.getMessage(),
                e);
          }
          durability = d;
        }
      }
    }
    return d;
  }

  /** True when the store sink is configured (the query endpoints answer 404 otherwise). */
  public boolean enabled() {
    return config.sinks().contains(SinkKind.STORE);
  }

  AgroalDataSource dataSource() {
    AgroalDataSource ds = dataSource;
    if (ds == null) {
      String name = config.store().datasource();
      ds =
          AgroalDataSourceUtil.dataSourceIfActive(name)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "kubefim.ingest.store.datasource="
                              + name
                              + " is not an active datasource; set quarkus.datasource"
                              + ("<default>".equals(name) ? "" : "." + name)
                              + ".active=true and its JDBC URL"));
      dataSource = ds;
    }
    return ds;
  }

  @Override
  public void accept(IngestBatch batch) throws SinkException {
    CommitDurability d = durability();
    for (int attempt = 1; ; attempt++) {
      try {
        int inserted = QuarkusTransaction.requiringNew().call(() -> insertNew(batch.events()));
        // also when every event was already there: their own batch may still be syncing
        if (d.needsAfterCommit()) {
          try (Connection c = dataSource().getConnection()) {
            d.afterCommit(c);
          }
        }
        LOG.debugf("batch=%s stored=%d", batch.id(), inserted);
        return;
      } catch (SQLException e) {
        throw new SinkException(name(), "sync after commit failed: " + describe(e), null, e);
      } catch (RuntimeException e) {
        SQLException sql = sqlCause(e);
        if (attempt == 1 && sql != null && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
          continue;
        }
        throw new SinkException(name(), "transaction failed: " + describe(e), null, e);
      }
    }
  }

  /** Inserts the events not yet stored; the caller's transaction commits them. */
  private int insertNew(List<FimEvent> events) throws SQLException, JsonProcessingException {
    try (Connection c = dataSource().getConnection()) {
      Set<String> existing = existingIds(c, events);
      Instant now = Instant.now();
      int inserted = 0;
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO kubefim_events (event_id, time_generated, computer, entity_type,"
                  + " change_type, file_path, received_at, schema_version, event_json,"
                  + " change_expected, expected_reason)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (FimEvent e : events) {
          if (existing.contains(e.getEventId())) {
            continue;
          }
          ps.setString(1, e.getEventId());
          ps.setObject(2, utc(e.getTimeGenerated()));
          ps.setString(3, e.getComputer());
          ps.setString(4, e.getMonitoredEntityType().name());
          ps.setString(5, e.getChangeType().name());
          ps.setString(6, e.getFilePath());
          ps.setObject(7, utc(now));
          ps.setInt(8, FimEvent.SCHEMA_VERSION);
          ps.setString(9, mapper.writeValueAsString(e));
          ps.setBoolean(10, Boolean.TRUE.equals(e.getExpectation().getChangeExpected()));
          ps.setString(11, e.getExpectation().getExpectedReason());
          ps.addBatch();
          inserted++;
        }
        if (inserted > 0) {
          ps.executeBatch();
        }
      }
      return inserted;
    }
  }

  private static Set<String> existingIds(Connection c, List<FimEvent> events) throws SQLException {
    Set<String> existing = new HashSet<>();
    for (int from = 0; from < events.size(); from += IN_CHUNK) {
      List<FimEvent> chunk = events.subList(from, Math.min(events.size(), from + IN_CHUNK));
      String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT event_id FROM kubefim_events WHERE event_id IN (" + marks + ")")) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i).getEventId());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            existing.add(rs.getString(1));
          }
        }
      }
    }
    return existing;
  }

  /**
   * The matching events as JSON texts, newest first, each with the store's columns ({@link
   * StoredEvent#apiJson}): ChangeExpected always, false when the agent did not label the change.
   */
  public List<String> find(EventQuery query) throws SQLException {
    EventQuery.Sql sql = query.toSql();
    List<String> out = new ArrayList<>();
    try (Connection c = dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql.text())) {
      bind(ps, sql.params());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(StoredEvent.read(rs).apiJson());
        }
      }
    }
    return out;
  }

  /**
   * Counts by Computer, MonitoredEntityType, ChangeType and ChangeExpected, filtered like {@link
   * #find}.
   */
  public List<SummaryRow> summary(EventQuery filter) throws SQLException {
    List<Object> params = new ArrayList<>();
    String text =
        "SELECT computer, entity_type, change_type, change_expected, COUNT(*) FROM kubefim_events"
            + filter.where(params)
            + " GROUP BY computer, entity_type, change_type, change_expected"
            + " ORDER BY computer, entity_type, change_type, change_expected";
    List<SummaryRow> rows = new ArrayList<>();
    try (Connection c = dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(text)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new SummaryRow(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getBoolean(4),
                  rs.getLong(5)));
        }
      }
    }
    return rows;
  }

  private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object p = params.get(i);
      ps.setObject(i + 1, p instanceof Instant instant ? utc(instant) : p);
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static SQLException sqlCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
  }

  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
