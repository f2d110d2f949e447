package io.kubefim.agent.attribution;

import static io.kubefim.agent.attribution.Fanotify.*;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import io.kubefim.agent.health.Workers;
import io.kubefim.agent.scan.HostFs;
import io.kubefim.agent.scan.NameCodec;
import io.kubefim.agent.scan.RawPaths;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fanotify(7) as the source of <em>who</em>: a notification group with {@code FAN_REPORT_DFID_NAME}
 * (and {@code FAN_REPORT_PIDFD} where the kernel has it, 5.15+), a {@code FAN_MARK_FILESYSTEM} mark
 * on each file system that holds a rule root, and a reader that turns each event into the host
 * paths it names and the writer's pid (and pidfd). What changed is still decided by inotify and the
 * scanner; this only says who did it.
 *
 * <p>A file system mark delivers the whole file system, so events are filtered here, cheaply: the
 * directory handle of an event is resolved to a path once ({@code open_by_handle_at} + {@code
 * readlink}) and cached with whether any rule root is at or below it; events in other directories
 * cost a parse and a map lookup. The cache is dropped when a directory is renamed or deleted.
 *
 * <p>Threading: {@link #drain} reads everything queued now, under this object's lock; the reader
 * thread calls it whenever the descriptor is readable, and the engine calls it before it takes a
 * path's writers, so that every event queued before a change was detected has been handled.
 * Callbacks run under the lock, on either thread.
 */
public final class FanotifySource implements Closeable {
  private static final Logger LOG = Logger.getLogger(FanotifySource.class.getName());
  private static final int DIR_CACHE = 4096;
  private static final long BATCH_MILLIS = 5;
  private static final String IRRELEVANT = "";

  /** Receives the events of relevant directories. */
  public interface Listener {
    /**
     * One event.
     *
     * @param hostPaths the entry's host paths (one, or more when a rule root is a symlink)
     * @param mask the fanotify event mask
     * @param pid the writer's pid as the kernel reported it (0: none)
     * @param pidfd a pidfd of the writer, or a negative value (none; closed by the source after the
     *     call)
     */
    void onEvent(List<String> hostPaths, long mask, int pid, int pidfd);

    /** The kernel queue overflowed: events, and their writers, were lost. */
    void onOverflow();

    /**
     * A new read from the queue begins: the events of one read were all read at the same moment, so
     * a listener may identify a writer once per read.
     */
    default void onRead() {}
  }

  private record Mount(int fd, String realPrefix) {}

  private final LibC libc;
  private final int fd;
  private final boolean pidfds;
  private final HostFs fs;
  private final Predicate<String> dirRelevant;
  private final Listener listener;
  private final Map<String, List<Mount>> mountsByFsid = new HashMap<>();
  private final Map<String, String> markedRoots = new LinkedHashMap<>(); // root -> fsid
  private final Map<String, String> dirs =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) {
          return size() > DIR_CACHE;
        }
      };
  private final byte[] buf = new byte[64 * 1024];
  private final byte[] statBuf = new byte[256];
  private final NativeLong readLen = new NativeLong(64 * 1024);
  private Boolean pidfs; // pidfds live on pidfs (unique inode per process); null: not known yet
  private byte[] lastKey; // fsid + handle of the last event's directory, and what it resolved to
  private String lastDir;
  private final byte[] linkBuf = new byte[16 * 1024 + 64];
  private volatile boolean running;
  private volatile boolean paused;
  private Thread thread;
  private long events;
  private long handled;

  private FanotifySource(
      LibC libc, int fd, boolean pidfds, HostFs fs, Predicate<String> dirRelevant, Listener l) {
    this.libc = libc;
    this.fd = fd;
    this.pidfds = pidfds;
    this.fs = fs;
    this.dirRelevant = dirRelevant;
    this.listener = l;
  }

  /** Why a group could not be made, or the source. */
  public sealed interface Opened permits Opened.Ok, Opened.Failed {
    record Ok(FanotifySource source) implements Opened {}

    record Failed(String why) implements Opened {}
  }

  /**
   * Makes the notification group. Fails (with the reason a user can act on) without CAP_SYS_ADMIN,
   * on a kernel without {@code FAN_REPORT_DFID_NAME} (before 5.9), or without fanotify.
   *
   * @param dirRelevant whether events in a host directory may concern a rule (called once per
   *     directory, cached)
   */
  public static Opened open(HostFs fs, Predicate<String> dirRelevant, Listener listener) {
    LibC libc;
    try {
      libc = Fanotify.load();
    } catch (LinkageError | RuntimeException e) {
      return new Opened.Failed("libc cannot be loaded: " + e);
    }
    int base = FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK | FAN_REPORT_DFID_NAME;
    int eventFlags = O_RDONLY | O_LARGEFILE | O_CLOEXEC;
    try {
      int fd = libc.fanotify_init(base | FAN_REPORT_PIDFD, eventFlags);
      return new Opened.Ok(new FanotifySource(libc, fd, true, fs, dirRelevant, listener));
    } catch (LastErrorException e) {
      if (e.getErrorCode() != EINVAL) {
        return new Opened.Failed(initFailure(e.getErrorCode()));
      }
    } catch (UnsatisfiedLinkError e) {
      return new Opened.Failed("this libc has no fanotify_init");
    }
    try { // before 5.15: no pidfds, pids checked by start time only
      int fd = libc.fanotify_init(base, eventFlags);
      LOG.log(Level.INFO, "fanotify without FAN_REPORT_PIDFD (kernel before 5.15)");
      return new Opened.Ok(new FanotifySource(libc, fd, false, fs, dirRelevant, listener));
    } catch (LastErrorException e) {
      return new Opened.Failed(initFailure(e.getErrorCode()));
    }
  }

  private static String initFailure(int errno) {
    return switch (errno) {
      case EPERM -> "fanotify_init: EPERM: the agent lacks CAP_SYS_ADMIN";
      case EINVAL -> "fanotify_init: EINVAL: the kernel lacks FAN_REPORT_DFID_NAME (Linux 5.9+)";
      case ENOSYS -> "fanotify_init: ENOSYS: the kernel has no fanotify";
      default -> "fanotify_init failed: " + Fanotify.errno(errno);
    };
  }

  /**
   * The identity of the process a pidfd refers to, or -1: its pidfs inode number, unique per
   * process on Linux 6.9+ (older kernels give every pidfd one anonymous inode: -1 there).
   */
  public long pidfdIdentity(int pidfd) {
    if (pidfd < 0 || Boolean.FALSE.equals(pidfs)) {
      return -1;
    }
    try {
      if (pidfs == null) {
        byte[] sfs = new byte[120];
        libc.fstatfs(pidfd, sfs);
        long type = ByteBuffer.wrap(sfs).order(ByteOrder.nativeOrder()).getLong(0);
        pidfs = type == PIDFS_MAGIC;
        if (!pidfs) {
          return -1;
        }
      }
      libc.fstat(pidfd, statBuf);
      return ByteBuffer.wrap(statBuf).order(ByteOrder.nativeOrder()).getLong(8);
    } catch (LastErrorException | UnsatisfiedLinkError e) {
      return -1;
    }
  }

  /** Whether events carry pidfds (Linux 5.15+). */
  public boolean pidfds() {
    return pidfds;
  }

  /**
   * Marks the file systems of {@code roots} (host paths) not yet marked, and unmarks those no root
   * needs any more.
   *
   * @return root → why it cannot be marked (e.g. an overlayfs mount point: EOPNOTSUPP); empty when
   *     every existing root is marked. A root that does not exist yet is retried on the next call.
   */
  public synchronized Map<String, String> mark(List<String> roots) {
    Map<String, String> problems = new LinkedHashMap<>();
    for (String root : roots) {
      if (markedRoots.containsKey(root)) {
        continue;
      }
      Path real = fs.toReal(root);
      byte[] path = RawPaths.cString(real);
      String fsid;
      int mfd;
      try {
        byte[] st = new byte[120];
        libc.statfs(path, st);
        fsid = fsidKey(st, 56);
        // not O_PATH: open_by_handle_at refuses an O_PATH mount fd (EBADF)
        mfd = libc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      } catch (LastErrorException e) {
        if (e.getErrorCode() != 2 && e.getErrorCode() != 20) { // ENOENT, ENOTDIR: not there yet
          problems.put(root, "cannot open " + root + ": " + Fanotify.errno(e.getErrorCode()));
        }
        continue;
      }
      try {
        libc.fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, MASK, AT_FDCWD, path);
      } catch (LastErrorException e) {
        libc.close(mfd);
        problems.put(
            root,
            "fanotify_mark on the file system of "
                + root
                + " failed: "
                + Fanotify.errno(e.getErrorCode())
                + (e.getErrorCode() == EOPNOTSUPP || e.getErrorCode() == EXDEV
                    ? " (overlayfs or a btrfs subvolume cannot be marked)"
                    : ""));
        continue;
      }
      mountsByFsid
          .computeIfAbsent(fsid, k -> new ArrayList<>())
          .add(new Mount(mfd, RawPaths.render(real)));
      markedRoots.put(root, fsid);
      dirs.clear(); // a directory found irrelevant may hold the new root
      lastKey = null;
    }
    markedRoots.keySet().removeIf(r -> !roots.contains(r) && unmarkIfUnused(r));
    return problems;
  }

  private boolean unmarkIfUnused(String root) {
    String fsid = markedRoots.get(root);
    long users = markedRoots.values().stream().filter(fsid::equals).count();
    if (users == 1) {
      List<Mount> ms = mountsByFsid.remove(fsid);
      if (ms != null) {
        try {
          libc.fanotify_mark(
              fd,
              FAN_MARK_REMOVE | FAN_MARK_FILESYSTEM,
              MASK,
              AT_FDCWD,
              RawPaths.cString(fs.toReal(root)));
        } catch (LastErrorException e) {
          LOG.log(Level.FINE, "fanotify unmark failed root={0} errno={1}", new Object[] {root, e});
        }
        ms.forEach(m -> libc.close(m.fd));
      }
    }
    dirs.clear();
    lastKey = null;
    return true;
  }

  /** Roots marked now. */
  public synchronized List<String> marked() {
    return List.copyOf(markedRoots.keySet());
  }

  public synchronized void start(Workers workers) {
    running = true;
    thread = workers.start("kubefim-fanotify", true, this::loop);
  }

  private void loop() {
    byte[] pollfd = new byte[8];
    ByteBuffer pf = ByteBuffer.wrap(pollfd).order(ByteOrder.nativeOrder());
    while (running) {
      if (paused) {
        sleepQuietly(20);
        continue;
      }
      pf.putInt(0, fd).putShort(4, POLLIN).putShort(6, (short) 0);
      try {
        if (libc.poll(pollfd, new NativeLong(1), 250) <= 0) {
          continue;
        }
      } catch (LastErrorException e) {
        continue; // EINTR
      }
      // let a burst gather for a moment: one read of many events costs far less than many reads
      // of a few (the debounce is at least 100 ms; this adds at most BATCH_MILLIS to an event)
      sleepQuietly(BATCH_MILLIS);
      drain();
    }
  }

  /** Test seam: stop reading (the kernel queue fills up and overflows) or resume. */
  public void pauseReading(boolean pause) {
    this.paused = pause;
  }

  /** Events read so far, and those in relevant directories. */
  public synchronized long[] counts() {
    return new long[] {events, handled};
  }

  /**
   * Reads and handles every event queued now (non-blocking). Engine or reader thread. Does nothing
   * while paused (a test holding the queue full).
   */
  public synchronized void drain() {
    while (!paused) {
      long r = libc.read(fd, buf, readLen).longValue();
      if (r <= 0) {
        return; // EAGAIN: empty (or an error: the reader polls again)
      }
      try {
        parse((int) r);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "fanotify read could not be parsed error={0}", e.toString());
        listener.onOverflow(); // the rest of this read is lost: writers unknown
      }
    }
  }

  private void parse(int len) {
    listener.onRead();
    ByteBuffer b = ByteBuffer.wrap(buf, 0, len).order(ByteOrder.nativeOrder());
    int off = 0;
    while (off + 24 <= len) {
      int eventLen = b.getInt(off);
      int vers = b.get(off + 4) & 0xff;
      int metaLen = b.getShort(off + 6) & 0xffff;
      long mask = b.getLong(off + 8);
      int efd = b.getInt(off + 16);
      int pid = b.getInt(off + 20);
      if (vers != METADATA_VERSION || eventLen < 24 || off + eventLen > len) {
        throw new IllegalStateException("fanotify metadata version " + vers + " len " + eventLen);
      }
      if (efd >= 0) {
        libc.close(efd);
      }
      events++;
      int pidfd = -1;
      int dirFsidAt = -1;
      int handleAt = -1;
      int handleLen = 0;
      int nameAt = -1;
      int nameEnd = -1;
      int i = off + metaLen;
      int end = off + eventLen;
      while (i + 4 <= end) {
        int type = b.get(i) & 0xff;
        int infoLen = b.getShort(i + 2) & 0xffff;
        if (infoLen < 4 || i + infoLen > end) {
          break;
        }
        if (type == FAN_EVENT_INFO_TYPE_PIDFD) {
          pidfd = b.getInt(i + 4);
        } else if (type == FAN_EVENT_INFO_TYPE_DFID_NAME || type == FAN_EVENT_INFO_TYPE_DFID) {
          dirFsidAt = i + 4;
          handleAt = i + 12;
          handleLen = 8 + b.getInt(i + 12);
          if (type == FAN_EVENT_INFO_TYPE_DFID_NAME) {
            nameAt = handleAt + handleLen;
            nameEnd = nameAt;
            while (nameEnd < i + infoLen && buf[nameEnd] != 0) {
              nameEnd++;
            }
          }
        }
        i += infoLen;
      }
      try {
        if ((mask & FAN_Q_OVERFLOW) != 0) {
          listener.onOverflow();
        } else if (dirFsidAt >= 0) {
          if ((mask & FAN_ONDIR) != 0
              && (mask & (FAN_MOVED_FROM | FAN_MOVED_TO | FAN_DELETE)) != 0) {
            dirs.clear(); // cached paths below a moved or deleted directory are stale
            lastKey = null;
          }
          String dir = directory(dirFsidAt, handleAt, handleLen);
          if (dir != IRRELEVANT) {
            handled++;
            String name = nameAt < 0 ? null : NameCodec.render(buf, nameAt, nameEnd - nameAt);
            try {
              listener.onEvent(paths(dir, name), mask, pid, pidfd);
            } catch (RuntimeException e) { // that event's writer is unknown; the rest go on
              LOG.log(
                  Level.WARNING,
                  "fanotify event handling failed dir={0} error={1}",
                  new Object[] {dir, e.toString()});
            }
          }
        }
      } finally {
        if (pidfd >= 0) {
          libc.close(pidfd);
        }
      }
      off += eventLen;
    }
  }

  private List<String> paths(String dirReal, String name) {
    String real =
        name == null || name.isEmpty() || name.equals(".")
            ? dirReal
            : (dirReal.equals("/") ? "/" + name : dirReal + "/" + name);
    return fs.hostPathsOf(real);
  }

  /**
   * The directory of an event: the previous event's when it names the same handle (a burst in one
   * directory costs a byte comparison, no allocation), else from the cache, else resolved.
   */
  private String directory(int fsidAt, int handleAt, int handleLen) {
    int keyLen = 8 + handleLen;
    byte[] k = lastKey;
    if (k != null
        && k.length == keyLen
        && java.util.Arrays.equals(buf, fsidAt, fsidAt + keyLen, k, 0, keyLen)) {
      return lastDir;
    }
    String key = new String(buf, fsidAt, keyLen, StandardCharsets.ISO_8859_1);
    String dir = resolve(key, fsidKey(buf, fsidAt), handleAt, handleLen);
    lastKey = java.util.Arrays.copyOfRange(buf, fsidAt, fsidAt + keyLen);
    lastDir = dir;
    return dir;
  }

  /** The directory's real path, or {@link #IRRELEVANT} (not under a rule root, or unresolvable). */
  private String resolve(String key, String fsid, int handleAt, int handleLen) {
    String cached = dirs.get(key);
    if (cached != null) {
      return cached;
    }
    String found = IRRELEVANT;
    List<Mount> ms = mountsByFsid.get(fsid);
    if (ms != null) {
      byte[] handle = new byte[handleLen];
      System.arraycopy(buf, handleAt, handle, 0, handleLen);
      for (Mount m : ms) {
        String real = open(m.fd, handle);
        if (real != null
            && (real.equals(m.realPrefix)
                || real.startsWith(m.realPrefix.equals("/") ? "/" : m.realPrefix + "/")
                || m.realPrefix.startsWith(real.equals("/") ? "/" : real + "/"))) {
          found = relevant(real) ? real : IRRELEVANT;
          break;
        }
      }
    }
    dirs.put(key, found);
    return found;
  }

  private boolean relevant(String real) {
    for (String host : fs.hostPathsOf(real)) {
      if (dirRelevant.test(host)) {
        return true;
      }
    }
    return false;
  }

  /** The path of a directory handle seen through mount {@code mfd}, or null (gone: ESTALE). */
  private String open(int mfd, byte[] handle) {
    int dfd;
    try {
      dfd = libc.open_by_handle_at(mfd, handle, O_PATH | O_CLOEXEC);
    } catch (LastErrorException e) {
      return null;
    }
    try {
      byte[] link = ("/proc/self/fd/" + dfd + "\0").getBytes(StandardCharsets.US_ASCII);
      int n = libc.readlink(link, linkBuf, new NativeLong(linkBuf.length)).intValue();
      if (n <= 0 || n >= linkBuf.length) {
        return null;
      }
      String p = NameCodec.render(linkBuf, 0, n);
      return p.endsWith(" (deleted)") ? null : p;
    } catch (LastErrorException e) {
      return null;
    } finally {
      libc.close(dfd);
    }
  }

  private static String fsidKey(byte[] b, int at) {
    return new String(b, at, 8, StandardCharsets.ISO_8859_1);
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      for (List<Mount> ms : mountsByFsid.values()) {
        ms.forEach(m -> libc.close(m.fd));
      }
      mountsByFsid.clear();
      libc.close(fd);
    }
  }
}
