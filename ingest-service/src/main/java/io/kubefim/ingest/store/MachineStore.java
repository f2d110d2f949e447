package io.kubefim.ingest.store;

import io.kubefim.api.event.ChangeType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The queries of the web page beyond {@link EventStore#find} and {@link EventStore#summary}: the
 * machines seen and keyset-paged changes. Every query is served by an index (V1, V2); none loads
 * the table. Thread-safe (one connection per call).
 */
@ApplicationScoped
public class MachineStore {
  private final EventStore store;

  @Inject
  public MachineStore(EventStore store) {
    this.store = store;
  }

  /** Every Computer with at least one stored event, in name order. */
  public List<String> computers() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT DISTINCT computer FROM kubefim_events ORDER BY computer");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** True when the store holds an event of {@code computer}. */
  public boolean known(String computer) throws SQLException {
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT 1 FROM kubefim_events WHERE computer = ? FETCH FIRST 1 ROWS ONLY")) {
      ps.setString(1, computer);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * The newest {@code limit} events of {@code computer}, any time, newest first, as JSON. The ORDER
   * BY names the equality column too: only then does H2 read {@code (computer, time_generated,
   * seq)} backwards and stop at the limit instead of sorting all the machine's rows.
   */
  public List<String> newest(String computer, int limit) throws SQLException {
    return json(
        "SELECT event_json FROM kubefim_events WHERE computer = ?"
            + " ORDER BY computer DESC, time_generated DESC, seq DESC FETCH FIRST ? ROWS ONLY",
        computer,
        limit);
  }

  /** The newest event of {@code computer} with ChangeType {@code changeType}, as JSON. */
  public Optional<String> newestOf(String computer, ChangeType changeType) throws SQLException {
    return json(
            "SELECT event_json FROM kubefim_events WHERE computer = ? AND change_type = ?"
                + " ORDER BY computer DESC, change_type DESC, time_generated DESC, seq DESC"
                + " FETCH FIRST 1 ROWS ONLY",
            computer,
            changeType.name())
        .stream()
        .findFirst();
  }

  private List<String> json(String sql, Object... params) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /**
   * One page of the events matching {@code filter} (its limit is ignored), newest first, strictly
   * after {@code before} when given.
   */
  public List<StoredEvent> page(EventQuery filter, Optional<PageCursor> before, int limit)
      throws SQLException {
    List<Object> params = new ArrayList<>();
    String where = filter.where(params);
    if (before.isPresent()) {
      // time <= t AND (time < t OR seq < s): the first term bounds the index range scan.
      OffsetDateTime t = before.get().timeGenerated().atOffset(ZoneOffset.UTC);
      where +=
          (where.isEmpty() ? " WHERE " : " AND ")
              + "time_generated <= ? AND (time_generated < ? OR seq < ?)";
      params.add(t);
      params.add(t);
      params.add(before.get().seq());
    }
    params.add(limit);
    String text =
        "SELECT "
            + StoredEvent.COLUMNS
            + " FROM kubefim_events"
            + where
            + filter.orderBy() // names the fixed columns, so H2 walks an index and stops early
            + " FETCH FIRST ? ROWS ONLY";
    List<StoredEvent> out = new ArrayList<>(limit);
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(text)) {
      for (int i = 0; i < params.size(); i++) {
        Object p = params.get(i);
        ps.setObject(i + 1, p instanceof java.time.Instant in ? in.atOffset(ZoneOffset.UTC) : p);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(StoredEvent.read(rs));
        }
      }
    }
    return out;
  }
}
