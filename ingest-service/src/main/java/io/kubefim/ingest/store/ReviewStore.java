package io.kubefim.ingest.store;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * "An unexpected change stays visible until someone looks" (issue 17): a machine's unexpected File
 * and Registry changes (ChangeExpected false) count as unreviewed until a reader marks them
 * reviewed, whatever their age. Marking is optimistic: the reader saw {@code count} unreviewed
 * changes through {@code seq}; the store marks those in one transaction only if it finds exactly
 * that many, so a change committed late with a lower seq (another replica, a slow transaction) is
 * never marked reviewed unseen, nor is one counted after a concurrent review. Thread-safe (one
 * connection per call).
 */
@ApplicationScoped
public class ReviewStore {
  private static final Logger LOG = Logger.getLogger(ReviewStore.class);

  /** The rows that count as unreviewed unexpected changes (index V8 serves it with computer). */
  static final String UNREVIEWED =
      "change_expected = FALSE AND reviewed_at IS NULL AND entity_type IN ('File', 'Registry')";

  /** Count and highest seq of a machine's unreviewed unexpected changes; parameter: computer. */
  static final String COUNT_SQL =
      "SELECT COUNT(*), MAX(seq) FROM kubefim_events WHERE computer = ? AND " + UNREVIEWED;

  /** Marks them; parameters: reviewed_at, reviewed_by, computer, through seq. */
  static final String MARK_SQL =
      "UPDATE kubefim_events SET reviewed_at = ?, reviewed_by = ? WHERE computer = ? AND "
          + UNREVIEWED
          + " AND seq <= ?";

  /** Longest reviewer name kept (column reviewed_by). */
  static final int MAX_REVIEWER = 512;

  private final EventStore store;

  @Inject
  public ReviewStore(EventStore store) {
    this.store = store;
  }

  /**
   * A machine's unreviewed unexpected changes.
   *
   * @param throughSeq the highest seq among them, 0 when there are none
   */
  public record Unreviewed(long count, long throughSeq) {}

  /** The outcome of {@link #markReviewed}. */
  public sealed interface Outcome {}

  /** The changes were marked. */
  public record Marked(long count, String reviewer, Instant at) implements Outcome {}

  /** Nothing was marked: the store found {@code found} unreviewed changes, not the count shown. */
  public record Mismatch(long found) implements Outcome {}

  public Unreviewed unreviewed(String computer) throws SQLException {
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(COUNT_SQL)) {
      ps.setString(1, computer);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Unreviewed(rs.getLong(1), rs.getLong(2));
      }
    }
  }

  /**
   * Marks {@code computer}'s unreviewed unexpected changes with seq at most {@code throughSeq}
   * reviewed by {@code reviewer}, if there are exactly {@code count} of them; else marks nothing.
   * One transaction; committed durably like a batch ({@link CommitDurability}).
   */
  public Outcome markReviewed(String computer, long throughSeq, long count, String reviewer)
      throws SQLException {
    String by = reviewer.length() <= MAX_REVIEWER ? reviewer : reviewer.substring(0, MAX_REVIEWER);
    Instant at = Instant.now();
    CommitDurability d = store.durability();
    long marked;
    try {
      marked =
          QuarkusTransaction.requiringNew()
              .call(
                  () -> {
                    long n = update(computer, throughSeq, by, at);
                    if (n != count) {
                      throw new CountMismatch(n); // rolls the UPDATE back
                    }
                    return n;
                  });
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof CountMismatch m) {
          return new Mismatch(m.found);
        }
      }
      SQLException sql = sqlCause(e);
      if (sql != null) {
        throw sql;
      }
      throw e;
    }
    if (d.needsAfterCommit()) {
      try (Connection c = store.dataSource().getConnection()) {
        d.afterCommit(c);
      }
    }
    LOG.infof(
        "changes reviewed: node=%s user=%s count=%d throughSeq=%d",
        computer, by, marked, throughSeq);
    return new Marked(marked, by, at);
  }

  private long update(String computer, long throughSeq, String by, Instant at) throws SQLException {
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(MARK_SQL)) {
      ps.setObject(1, at.atOffset(ZoneOffset.UTC));
      ps.setString(2, by);
      ps.setString(3, computer);
      ps.setLong(4, throughSeq);
      return ps.executeUpdate();
    }
  }

  private static final class CountMismatch extends RuntimeException {
    final long found;

    CountMismatch(long found) {
      super("found " + found, null, false, false);
      this.found = found;
    }
  }

  private static SQLException sqlCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
  }
}
