package io.kubefim.ingest.store;

import io.kubefim.ingest.IngestConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Enforces {@link RetentionPolicy} on the store: every {@code
 * kubefim.ingest.store.retention-interval} (and once at start-up) deletes rows received before the
 * cutoff, then the oldest rows beyond {@code max-events}, in chunks of {@value #CHUNK} rows, one
 * transaction each (so the sinks' inserts are never blocked long). Runs only when the {@code store}
 * sink is configured.
 *
 * <p>Metrics: {@code kubefim.ingest.store.retention.deleted} (counter, tag {@code bound}: {@code
 * age} or {@code size}) and {@code kubefim.ingest.store.rows} (gauge, rows after the last run).
 * Log: one INFO line per run that deleted something. Threading: one daemon thread; a failed run is
 * logged and the next one tries again.
 */
@ApplicationScoped
public class StoreRetention {
  private static final Logger LOG = Logger.getLogger(StoreRetention.class);
  static final int CHUNK = 10_000;

  private final IngestConfig config;
  private final EventStore store;
  private final MeterRegistry metrics;
  private final AtomicLong rows = new AtomicLong();
  private final RetentionPolicy policy;
  private final Clock clock = Clock.systemUTC();
  private ScheduledExecutorService timer;

  @Inject
  public StoreRetention(IngestConfig config, EventStore store, MeterRegistry metrics) {
    this.config = config;
    this.store = store;
    this.metrics = metrics;
    this.policy = new RetentionPolicy(config.store().retention(), config.store().maxEvents());
    metrics.gauge("kubefim.ingest.store.rows", rows);
  }

  void onStart(@Observes StartupEvent started) {
    if (!store.enabled()) {
      return;
    }
    long every = config.store().retentionInterval().toMillis();
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kubefim-store-retention");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::runLogged, 0, every, TimeUnit.MILLISECONDS);
    LOG.infof(
        "store retention: retention=%s max-events=%d interval=%s",
        policy.maxAge(), policy.maxEvents(), config.store().retentionInterval());
  }

  void onStop(@Observes ShutdownEvent stopping) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private void runLogged() {
    try {
      run();
    } catch (SQLException | RuntimeException e) {
      LOG.warnf(
          "store retention failed (next run in %s): %s", config.store().retentionInterval(), e);
    }
  }

  /** One pass of both bounds; returns the rows deleted. Safe to call concurrently with inserts. */
  synchronized Result run() throws SQLException {
    long start = System.nanoTime();
    Instant cutoff = policy.cutoff(clock.instant());
    long byAge = 0;
    long bySize = 0;
    try (Connection c = store.dataSource().getConnection()) {
      long newest = newestSeq(c);
      if (newest < 0) {
        rows.set(0);
        return new Result(0, 0, 0);
      }
      for (int n; (n = deleteOldBefore(c, cutoff, newest)) > 0; ) {
        byAge += n;
        if (n < CHUNK) {
          break;
        }
      }
      long count = count(c);
      long excess = policy.excess(count);
      if (excess > 0) {
        long keepFrom = seqAtOffset(c, excess);
        for (int n; (n = deleteSeqBefore(c, keepFrom)) > 0; ) {
          bySize += n;
          if (n < CHUNK) {
            break;
          }
        }
      }
      long left = count - bySize;
      rows.set(left);
      if (byAge > 0) {
        metrics.counter("kubefim.ingest.store.retention.deleted", "bound", "age").increment(byAge);
      }
      if (bySize > 0) {
        metrics
            .counter("kubefim.ingest.store.retention.deleted", "bound", "size")
            .increment(bySize);
      }
      if (byAge + bySize > 0) {
        LOG.infof(
            "store retention: deleted=%d age=%d size=%d cutoff=%s max-events=%d rows=%d took=%dms",
            byAge + bySize,
            byAge,
            bySize,
            cutoff,
            policy.maxEvents(),
            left,
            (System.nanoTime() - start) / 1_000_000);
      }
      return new Result(byAge, bySize, left);
    }
  }

  /** What one pass deleted, and the rows left. */
  record Result(long byAge, long bySize, long rows) {}

  private static long newestSeq(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM kubefim_events");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      long v = rs.getLong(1);
      return rs.wasNull() ? -1 : v;
    }
  }

  private static long count(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM kubefim_events");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The seq of the row {@code offset} rows from the oldest: the first row the size bound keeps. */
  private static long seqAtOffset(Connection c, long offset) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT seq FROM kubefim_events ORDER BY seq OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY")) {
      ps.setLong(1, offset);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no row at offset " + offset + " of kubefim_events");
        }
        return rs.getLong(1);
      }
    }
  }

  private static int deleteOldBefore(Connection c, Instant cutoff, long newest)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM kubefim_events WHERE seq IN (SELECT seq FROM kubefim_events"
                + " WHERE received_at < ? AND seq < ? ORDER BY received_at, seq"
                + " FETCH FIRST ? ROWS ONLY)")) {
      ps.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
      ps.setLong(2, newest);
      ps.setInt(3, CHUNK);
      return ps.executeUpdate();
    }
  }

  private static int deleteSeqBefore(Connection c, long keepFrom) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM kubefim_events WHERE seq IN (SELECT seq FROM kubefim_events"
                + " WHERE seq < ? ORDER BY seq FETCH FIRST ? ROWS ONLY)")) {
      ps.setLong(1, keepFrom);
      ps.setInt(2, CHUNK);
      return ps.executeUpdate();
    }
  }
}
