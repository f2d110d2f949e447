package io.kubefim.agent.baseline;

import io.kubefim.agent.scan.FileState;
import io.kubefim.api.event.FileType;
import java.io.Closeable;
import java.io.IOException;
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
  private static final String COLS =
      "path,type,size,mode,uid,gid,ino,mtime,ctime,target,sha256,sha1,md5,oversized";
  private static final FileType[] TYPES = FileType.values();

  private final Connection db;
  private final PreparedStatement get;
  private final PreparedStatement children;
  private final PreparedStatement put;
  private final PreparedStatement delete;
  private final PreparedStatement outboxInsert;
  private long entryCount;
  private long outboxDepth;

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
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + stateDir.resolve(DB_FILE));
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
      c.setAutoCommit(false);
      BaselineStore store = new BaselineStore(c);
      store.entryCount = store.countQuery("SELECT COUNT(*) FROM entry");
      store.outboxDepth = store.countQuery("SELECT COUNT(*) FROM outbox");
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
    try {
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
      for (String[] e : events) {
        outboxInsert.setString(1, e[0]);
        outboxInsert.setString(2, e[1]);
        outboxInsert.executeUpdate();
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
      outboxDepth += events.size();
    } catch (SQLException e) {
      try {
        db.rollback();
      } catch (SQLException ignored) {
        // the connection is broken; the original error says why
      }
      throw io(e);
    }
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
    try (PreparedStatement s = db.prepareStatement("DELETE FROM outbox WHERE seq <= ?")) {
      s.setLong(1, seq);
      int n = s.executeUpdate();
      db.commit();
      outboxDepth -= n;
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
    p.setString(12, s.sha256());
    p.setString(13, s.sha1());
    p.setString(14, s.md5());
    p.setInt(15, s.oversized() ? 1 : 0);
  }

  private static FileState read(ResultSet r) throws SQLException {
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
        r.getString(11),
        r.getString(12),
        r.getString(13),
        r.getInt(14) != 0);
  }

  private static IOException io(SQLException e) {
    return new IOException("state database: " + e.getMessage(), e);
  }
}
