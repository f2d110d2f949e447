package io.kubefim.agent.baseline;

import io.kubefim.agent.scan.FileState;
import io.kubefim.agent.spool.SpoolOverflow;
import io.kubefim.api.event.FileType;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The baseline and the event outbox in one SQLite database ({@code <state>/kubefim.db}, WAL). A
 * change is written with its event in one transaction ({@link #commit}), so after a crash both are
 * there or neither is: the next scan finds an uncommitted change again (SPEC §5).
 *
 * <p>Schema version {@value #SCHEMA_VERSION} is recorded in table {@code meta}; a database written
 * by a newer agent is refused rather than misread. Thread-safe: one connection, every method
 * synchronized (the engine thread writes, the drainer thread reads and trims the outbox).
 */
public final class BaselineStore implements Closeable {
  public static final int SCHEMA_VERSION = 1;
  public static final String DB_FILE = "kubefim.db";

  /** Meta key of the registry snapshot's format version (table {@code registry_key}). */
  public static final String META_REGISTRY_FORMAT = "registry_format";

  private static final String COLS =
      "path,type,size,mode,uid,gid,ino,mtime,ctime,target,sha256,sha1,md5,oversized";
  private static final FileType[] TYPES = FileType.values();
  // Column "oversized" holds flags (schema 1 wrote 0 or 1, so old rows read the same): OVERSIZED,
  // and then column sha256 holds the digest of the sampled blocks (FileState.sampled); STALE, the
  // digests are the last known ones of a file that could not be read (FileState.stale)
  private static final int OVERSIZED = 1;
  private static final int STALE = 2;
  // room kept for the overflow notice itself when trimming
  private static final long NOTICE_RESERVE = 1024;

  private final Connection db;
  private final PreparedStatement get;
  private final PreparedStatement children;
  private final PreparedStatement put;
  private final PreparedStatement delete;
  private final PreparedStatement outboxInsert;
  private long entryCount;
  private long outboxDepth;
  private long outboxBytes;
  private SpoolOverflow overflow;
  private long droppedTotal;
  // outbox seq of the last overflow notice (-1: none known); set once its transaction committed
  private long noticeSeq = -1;
  private long pendingNoticeSeq = -1;

  private BaselineStore(Connection db) throws SQLException {
    this.db = db;
    this.get = db.prepareStatement("SELECT " + COLS + " FROM entry WHERE path=?");
    this.children = db.prepareStatement("SELECT " + COLS + " FROM entry WHERE parent=?");
    this.put =
        db.prepareStatement(
            "INSERT OR REPLACE INTO entry(parent,"
                + COLS
                + ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    this.delete = db.prepareStatement("DELETE FROM entry WHERE path=?");
    this.outboxInsert = db.prepareStatement("INSERT INTO outbox(event_id, body) VALUES(?,?)");
  }

  /**
   * Opens (creating when needed) the store under {@code stateDir}.
   *
   * @throws IOException when the directory or database cannot be used, or was written by a newer
   *     schema
   */
  public static BaselineStore open(Path stateDir) throws IOException {
    Files.createDirectories(stateDir);
    SqliteNativeLibrary.prepare(stateDir);
    try {
      Properties props = new Properties();
      // Otherwise sqlite-jdbc runs SELECT last_insert_rowid() after every INSERT, for a
      // getGeneratedKeys() that this store never calls: a third of the cost of writing a
      // baseline entry (measured). The outbox asks for the rowid itself where it needs it.
      props.setProperty("jdbc.get_generated_keys", "false");
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + stateDir.resolve(DB_FILE), props);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        // NORMAL in WAL mode: a process crash loses nothing; a power loss may drop the last
        // transactions, but baseline and outbox together, so the next scan finds the change again.
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("PRAGMA cache_size=-2048");
        s.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      }
      int version = schemaVersion(c);
      if (version > SCHEMA_VERSION) {
        c.close();
        throw new IOException(
            "state database schema " + version + " is newer than this agent's " + SCHEMA_VERSION);
      }
      if (version < 1) {
        migrateTo1(c);
      }
      createRegistryTable(c);
      c.setAutoCommit(false);
      BaselineStore store = new BaselineStore(c);
      store.entryCount = store.countQuery("SELECT COUNT(*) FROM entry");
      store.outboxDepth = store.countQuery("SELECT COUNT(*) FROM outbox");
      store.outboxBytes =
          store.countQuery("SELECT COALESCE(SUM(LENGTH(CAST(body AS BLOB))),0) FROM outbox");
      return store;
    } catch (SQLException e) {
      throw new IOException("cannot open state database in " + stateDir + ": " + e.getMessage(), e);
    }
  }

  private static int schemaVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT value FROM meta WHERE key='schema_version'")) {
      return r.next() ? Integer.parseInt(r.getString(1)) : 0;
    }
  }

  private static void migrateTo1(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("BEGIN");
      s.execute(
          "CREATE TABLE entry(path TEXT PRIMARY KEY, parent TEXT NOT NULL, type INTEGER NOT NULL,"
              + " size INTEGER, mode INTEGER, uid INTEGER, gid INTEGER, ino INTEGER, mtime INTEGER,"
              + " ctime INTEGER, target TEXT, sha256 TEXT, sha1 TEXT, md5 TEXT, oversized INTEGER)"
              + " WITHOUT ROWID");
      s.execute("CREATE INDEX entry_parent ON entry(parent)");
      s.execute(
          "CREATE TABLE outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL,"
              + " body TEXT NOT NULL)");
      s.execute("INSERT OR REPLACE INTO meta VALUES('schema_version','1')");
      s.execute("COMMIT");
    }
  }

  /**
   * The registry snapshot (issue 15): one row per (rule, key), its own table and format version
   * (meta {@value #META_REGISTRY_FORMAT}) so that the schema of entry and outbox stays 1 and an
   * older agent, which does not know the table, still opens the database.
   */
  private static void createRegistryTable(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS registry_key(rule TEXT NOT NULL, key TEXT NOT NULL,"
              + " data TEXT NOT NULL, PRIMARY KEY(rule, key)) WITHOUT ROWID");
      s.execute("INSERT OR IGNORE INTO meta VALUES('" + META_REGISTRY_FORMAT + "','" + 1 + "')");
    }
  }

  private long countQuery(String sql) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      long n = r.getLong(1);
      db.commit();
      return n;
    }
  }

  /** The baseline entry at {@code path}, or null. */
  public synchronized FileState get(String path) throws IOException {
    try {
      get.setString(1, path);
      try (ResultSet r = get.executeQuery()) {
        FileState s = r.next() ? read(r) : null;
        return s;
      }
    } catch (SQLException e) {
      throw io(e);
    }
  }

  /** The baseline entries directly in directory {@code dir}, by path. */
  public synchronized Map<String, FileState> children(String dir) throws IOException {
    try {
      children.setString(1, dir);
      Map<String, FileState> out = new HashMap<>();
      try (ResultSet r = children.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(1), read(r));
        }
      }
      return out;
    } catch (SQLException e) {
      throw io(e);
    }
  }

  /**
   * Every baseline path strictly below {@code dir} ("/" for all), in path order, with its parent.
   * Streams: only one row at a time is in memory.
   */
  public synchronized void forEachBelow(String dir, PathVisitor visitor) throws IOException {
    String sql =
        dir.equals("/")
            ? "SELECT path, parent, type FROM entry"
            : "SELECT path, parent, type FROM entry WHERE path > ? AND path < ?";
    try (PreparedStatement s = db.prepareStatement(sql)) {
      if (!dir.equals("/")) {
        s.setString(1, dir + "/");
        s.setString(2, dir + "0"); // '0' is the character after '/'
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          visitor.visit(r.getString(1), r.getString(2), TYPES[r.getInt(3)]);
        }
      }
    } catch (SQLException e) {
      throw io(e);
    }
  }

  /**
   * The directories that hold baseline entries strictly below {@code dir} ("/" for all): {@code
   * dir} itself and the directories under it. Read from the parent index alone, so a scan can find
   * what it did not walk without reading every entry.
   */
  public synchronized List<String> parentsBelow(String dir) throws IOException {
    String sql =
        dir.equals("/")
            ? "SELECT DISTINCT parent FROM entry"
            : "SELECT DISTINCT parent FROM entry WHERE parent = ? OR (parent > ? AND parent < ?)";
    try (PreparedStatement s = db.prepareStatement(sql)) {
      if (!dir.equals("/")) {
        s.setString(1, dir);
        s.setString(2, dir + "/");
        s.setString(3, dir + "0"); // '0' is the character after '/'
      }
      return firstColumn(s);
    } catch (SQLException e) {
      throw io(e);
    }
  }

  /** The baseline paths whose parent directory is {@code dir}. */
  public synchronized List<String> childPaths(String dir) throws IOException {
    try (PreparedStatement s = db.prepareStatement("SELECT path FROM entry WHERE parent=?")) {
      s.setString(1, dir);
      return firstColumn(s);
    } catch (SQLException e) {
      throw io(e);
    }
  }

  private static List<String> firstColumn(PreparedStatement s) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }

  /** Receives one baseline path at a time. */
  @FunctionalInterface
  public interface PathVisitor {
    void visit(String path, String parent, FileType type) throws IOException;
  }

  /**
   * Writes baseline mutations, events and meta values in one transaction: all or nothing.
   *
   * @param events outbox rows: (eventId, json)
   */
  public synchronized void commit(
      List<EntryWrite> writes, List<String[]> events, Map<String, String> meta) throws IOException {
    commit(writes, events, meta, List.of());
  }

  /**
   * One row of the registry snapshot (issue 15): {@code data} of {@code key} under {@code rule};
   * {@code data} null deletes the row, {@code key} null (and data null) every row of the rule.
   */
  public record RegistryRow(String rule, String key, String data) {}

  /**
   * Like {@link #commit(List, List, Map)}, with registry snapshot rows in the same transaction: a
   * registry change is in the snapshot and in the outbox, or in neither.
   */
  public synchronized void commit(
      List<EntryWrite> writes,
      List<String[]> events,
      Map<String, String> meta,
      List<RegistryRow> registry)
      throws IOException {
    try {
      writeRegistry(registry);
      long delta = 0;
      for (EntryWrite w : writes) {
        if (w.state() == null) {
          delete.setString(1, w.path());
          delta -= delete.executeUpdate();
        } else {
          bind(put, w.path(), w.state());
          put.executeUpdate();
          if (!w.existed()) {
            delta++;
          }
        }
      }
      long bytes = outboxBytes;
      long rows = outboxDepth;
      for (String[] e : events) {
        insertOutbox(e);
        bytes += utf8Length(e[1]);
        rows++;
      }
      long[] trimmed = {0, 0, 0};
      pendingNoticeSeq = -1;
      if (overflow != null && bytes > overflow.limitBytes()) {
        trimmed = trim(bytes - overflow.limitBytes());
        bytes += trimmed[1];
        rows += trimmed[0];
      }
      if (!meta.isEmpty()) {
        try (PreparedStatement m = db.prepareStatement("INSERT OR REPLACE INTO meta VALUES(?,?)")) {
          for (Map.Entry<String, String> e : meta.entrySet()) {
            m.setString(1, e.getKey());
            m.setString(2, e.getValue());
            m.executeUpdate();
          }
        }
      }
      db.commit();
      entryCount += delta;
      outboxDepth = rows;
      outboxBytes = bytes;
      droppedTotal += trimmed[2];
      if (pendingNoticeSeq >= 0) {
        noticeSeq = pendingNoticeSeq;
      }
    } catch (SQLException e) {
      try {
        db.rollback();
      } catch (SQLException ignored) {
        // the connection is broken; the original error says why
      }
      throw io(e);
    }
  }

  private void writeRegistry(List<RegistryRow> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement put =
            db.prepareStatement("INSERT OR REPLACE INTO registry_key VALUES(?,?,?)");
        PreparedStatement del =
            db.prepareStatement("DELETE FROM registry_key WHERE rule=? AND key=?");
        PreparedStatement delRule = db.prepareStatement("DELETE FROM registry_key WHERE rule=?")) {
      for (RegistryRow r : rows) {
        PreparedStatement p = r.key() == null ? delRule : r.data() == null ? del : put;
        p.setString(1, r.rule());
        if (r.key() != null) {
          p.setString(2, r.key());
        }
        if (r.data() != null) {
          p.setString(3, r.data());
        }
        p.executeUpdate();
      }
    }
  }

  /** The registry snapshot rows of {@code rule}: key → data (issue 15). */
  public synchronized Map<String, String> registryRows(String rule) throws IOException {
    try (PreparedStatement s =
        db.prepareStatement("SELECT key, data FROM registry_key WHERE rule=?")) {
      s.setString(1, rule);
      Map<String, String> out = new HashMap<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(1), r.getString(2));
        }
      }
      db.commit();
      return out;
    } catch (SQLException e) {
      throw io(e);
    }
  }

  /** The rules that have registry snapshot rows (issue 15). */
  public synchronized List<String> registryRules() throws IOException {
    try (PreparedStatement s = db.prepareStatement("SELECT DISTINCT rule FROM registry_key")) {
      List<String> out = firstColumn(s);
      db.commit();
      return out;
    } catch (SQLException e) {
      throw io(e);
    }
  }

  /**
   * Bounds the outbox to {@code overflow.limitBytes()} bytes of event JSON: a commit that would
   * pass it drops the oldest events and records {@code overflow}'s CoverageGap in the same
   * transaction.
   */
  public synchronized void limitOutbox(SpoolOverflow overflow) {
    this.overflow = overflow;
  }

  private void insertOutbox(String[] e) throws SQLException {
    outboxInsert.setString(1, e[0]);
    outboxInsert.setString(2, e[1]);
    outboxInsert.executeUpdate();
  }

  /**
   * Drops the oldest rows until {@code excess} bytes and room for the notice are free, then inserts
   * the notice. Inside the caller's transaction.
   *
   * @return {rows added (negative), bytes added (negative), events dropped}
   */
  private long[] trim(long excess) throws SQLException {
    SpoolOverflow.Dropped d = new SpoolOverflow.Dropped();
    long lastSeq = -1;
    long rows = 0;
    long need = excess + NOTICE_RESERVE;
    try (PreparedStatement s =
            db.prepareStatement(
                "SELECT seq, body, LENGTH(CAST(body AS BLOB)) FROM outbox ORDER BY seq");
        ResultSet r = s.executeQuery()) {
      while (d.bytes() < need && r.next()) {
        lastSeq = r.getLong(1);
        d.add(r.getString(2), r.getLong(3));
        rows++;
      }
    }
    if (lastSeq < 0) {
      return new long[] {0, 0, 0};
    }
    try (PreparedStatement del = db.prepareStatement("DELETE FROM outbox WHERE seq <= ?")) {
      del.setLong(1, lastSeq);
      del.executeUpdate();
    }
    if (noticeSeq > lastSeq) {
      // the notice of the previous overflow is still waiting: fold it in, so a spool that stays
      // full carries one notice, not one per event
      try (PreparedStatement s =
              db.prepareStatement(
                  "SELECT body, LENGTH(CAST(body AS BLOB)) FROM outbox WHERE seq = ?");
          PreparedStatement del = db.prepareStatement("DELETE FROM outbox WHERE seq = ?")) {
        s.setLong(1, noticeSeq);
        try (ResultSet r = s.executeQuery()) {
          if (r.next()) {
            d.add(r.getString(1), r.getLong(2));
            rows++;
            del.setLong(1, noticeSeq);
            del.executeUpdate();
          }
        }
      }
    }
    String[] notice = overflow.notice(d);
    insertOutbox(notice);
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT last_insert_rowid()")) {
      r.next();
      pendingNoticeSeq = r.getLong(1);
    }
    return new long[] {1 - rows, utf8Length(notice[1]) - d.bytes(), d.fresh()};
  }

  private static long utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Bytes of event JSON in the outbox. */
  public synchronized long outboxBytes() {
    return outboxBytes;
  }

  /** Events dropped from a full outbox since this store was opened. */
  public synchronized long outboxDropped() {
    return droppedTotal;
  }

  /** A meta value, or null. */
  public synchronized String meta(String key) throws IOException {
    try (PreparedStatement s = db.prepareStatement("SELECT value FROM meta WHERE key=?")) {
      s.setString(1, key);
      try (ResultSet r = s.executeQuery()) {
        String v = r.next() ? r.getString(1) : null;
        db.commit();
        return v;
      }
    } catch (SQLException e) {
      throw io(e);
    }
  }

  /** The oldest outbox rows, at most {@code limit}. */
  public synchronized List<OutboxRecord> peekOutbox(int limit) throws IOException {
    try (PreparedStatement s =
        db.prepareStatement("SELECT seq, event_id, body FROM outbox ORDER BY seq LIMIT ?")) {
      s.setInt(1, limit);
      List<OutboxRecord> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(new OutboxRecord(r.getLong(1), r.getString(2), r.getString(3)));
        }
      }
      db.commit();
      return out;
    } catch (SQLException e) {
      throw io(e);
    }
  }

  /** Removes outbox rows up to and including {@code seq}: call only after the sink confirmed. */
  public synchronized void ackOutbox(long seq) throws IOException {
    try (PreparedStatement b =
            db.prepareStatement(
                "SELECT COALESCE(SUM(LENGTH(CAST(body AS BLOB))),0) FROM outbox WHERE seq <= ?");
        PreparedStatement s = db.prepareStatement("DELETE FROM outbox WHERE seq <= ?")) {
      b.setLong(1, seq);
      long bytes;
      try (ResultSet r = b.executeQuery()) {
        r.next();
        bytes = r.getLong(1);
      }
      s.setLong(1, seq);
      int n = s.executeUpdate();
      db.commit();
      outboxDepth -= n;
      outboxBytes -= bytes;
    } catch (SQLException e) {
      throw io(e);
    }
  }

  /** Baseline entries. */
  public synchronized long entryCount() {
    return entryCount;
  }

  /** Events not yet confirmed by the sink. */
  public synchronized long outboxDepth() {
    return outboxDepth;
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      db.close();
    } catch (SQLException e) {
      throw io(e);
    }
  }

  private static void bind(PreparedStatement p, String path, FileState s) throws SQLException {
    int slash = path.lastIndexOf('/');
    p.setString(1, slash <= 0 ? "/" : path.substring(0, slash));
    p.setString(2, path);
    p.setInt(3, s.type().ordinal());
    p.setLong(4, s.size());
    p.setInt(5, s.mode());
    p.setInt(6, s.uid());
    p.setInt(7, s.gid());
    p.setLong(8, s.inode());
    p.setLong(9, s.mtimeNanos());
    p.setLong(10, s.ctimeNanos());
    p.setString(11, s.symlinkTarget());
    p.setString(12, s.oversized() ? s.sampled() : s.sha256());
    p.setString(13, s.sha1());
    p.setString(14, s.md5());
    p.setInt(15, (s.oversized() ? OVERSIZED : 0) | (s.stale() ? STALE : 0));
  }

  private static FileState read(ResultSet r) throws SQLException {
    int flags = r.getInt(14);
    boolean oversized = (flags & OVERSIZED) != 0;
    String sha256 = r.getString(11);
    return new FileState(
        TYPES[r.getInt(2)],
        r.getLong(3),
        r.getInt(4),
        r.getInt(5),
        r.getInt(6),
        r.getLong(7),
        r.getLong(8),
        r.getLong(9),
        r.getString(10),
        oversized ? null : sha256,
        r.getString(12),
        r.getString(13),
        oversized,
        oversized ? sha256 : null,
        (flags & STALE) != 0);
  }

  private static IOException io(SQLException e) {
    return new IOException("state database: " + e.getMessage(), e);
  }
}
