package io.kubefim.ingest.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * What a committed store transaction survives, set up once per database at start-up.
 *
 * <ul>
 *   <li>H2 (MVStore): by default a commit is written to the file up to 500 ms later ({@code
 *       WRITE_DELAY}), so a 202 followed by {@code kill -9} lost the batch. {@code SET WRITE_DELAY
 *       0} makes every commit write its chunk to the file before it returns: it then survives the
 *       death of the process (the bytes are in the kernel's page cache). MVStore never fsyncs on
 *       commit; with {@code fsync} on, {@link #afterCommit} runs {@code CHECKPOINT SYNC} (an fsync
 *       of the file) after each batch, so the batch also survives a power loss or a kernel crash.
 *   <li>PostgreSQL: a commit returns once its WAL is flushed to disk while {@code
 *       synchronous_commit} is {@code on} (its default) or {@code remote_write}/{@code
 *       remote_apply}/{@code local}; with {@code off} the server may lose the last commits on a
 *       crash: logged as a warning, not refused (the database is the operator's).
 * </ul>
 *
 * Thread-safe and immutable after {@link #configure}.
 */
final class CommitDurability {
  private static final Logger LOG = Logger.getLogger(CommitDurability.class);

  private final boolean h2Fsync;
  private final String description;

  private CommitDurability(boolean h2Fsync, String description) {
    this.h2Fsync = h2Fsync;
    this.description = description;
  }

  /**
   * Sets the database up for durable commits and says what a commit survives.
   *
   * @param fsync H2 only: fsync the file after every batch ({@code kubefim.ingest.store.fsync})
   */
  static CommitDurability configure(Connection c, boolean fsync) throws SQLException {
    String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    CommitDurability d;
    if (product.contains("h2")) {
      try (Statement s = c.createStatement()) {
        s.execute("SET WRITE_DELAY 0");
      }
      d =
          new CommitDurability(
              fsync,
              fsync
                  ? "h2 WRITE_DELAY=0 + fsync per batch: survives kill -9 and power loss"
                  : "h2 WRITE_DELAY=0, no fsync: survives kill -9, not power loss");
    } else if (product.contains("postgres")) {
      String mode = show(c, "synchronous_commit");
      boolean durable = !"off".equalsIgnoreCase(mode);
      d =
          new CommitDurability(
              false,
              "postgresql synchronous_commit="
                  + mode
                  + (durable ? ": survives a server crash" : ": NOT durable on a server crash"));
      if (!durable) {
        LOG.warnf(
            "store=postgresql synchronous_commit=off: a 202 may be lost if the database crashes;"
                + " set synchronous_commit=on for the kubefim user");
      }
    } else {
      d = new CommitDurability(false, product + ": the database's own commit semantics");
    }
    LOG.infof("store durability: %s", d.description);
    return d;
  }

  /** Called after a batch's transaction committed, before the sink returns. */
  void afterCommit(Connection c) throws SQLException {
    if (h2Fsync) {
      try (Statement s = c.createStatement()) {
        s.execute("CHECKPOINT SYNC");
      }
    }
  }

  /** True when {@link #afterCommit} has work to do (a connection is worth opening). */
  boolean needsAfterCommit() {
    return h2Fsync;
  }

  String description() {
    return description;
  }

  private static String show(Connection c, String setting) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW " + setting)) {
      return rs.next() ? rs.getString(1) : "unknown";
    }
  }
}
