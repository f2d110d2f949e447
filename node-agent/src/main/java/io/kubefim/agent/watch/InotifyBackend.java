package io.kubefim.agent.watch;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import io.kubefim.agent.health.Workers;
import io.kubefim.agent.scan.NameCodec;
import io.kubefim.agent.scan.ProcFiles;
import io.kubefim.agent.scan.RawPaths;
import io.kubefim.api.glob.HostPaths;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Linux inotify through JNA: {@code inotify_init1}, {@code inotify_add_watch}, and a dedicated
 * thread polling and reading the descriptor. Renames are paired by cookie; an unpaired MOVED_FROM
 * is a move out once the next read brought no partner. IN_Q_OVERFLOW becomes {@link
 * FsEvent.Kind#OVERFLOW}. The limits ({@code max_user_watches}, {@code max_queued_events}) are per
 * user across the node; a watch refused with ENOSPC is returned as a coverage gap, never ignored.
 */
public final class InotifyBackend implements WatchBackend {
  private static final Logger LOG = Logger.getLogger(InotifyBackend.class.getName());
  static final int IN_MODIFY = 0x2;
  static final int IN_ATTRIB = 0x4;
  static final int IN_CLOSE_WRITE = 0x8;
  static final int IN_MOVED_FROM = 0x40;
  static final int IN_MOVED_TO = 0x80;
  static final int IN_CREATE = 0x100;
  static final int IN_DELETE = 0x200;
  static final int IN_DELETE_SELF = 0x400;
  static final int IN_MOVE_SELF = 0x800;
  static final int IN_Q_OVERFLOW = 0x4000;
  static final int IN_IGNORED = 0x8000;
  static final int IN_ONLYDIR = 0x1000000;
  static final int IN_DONT_FOLLOW = 0x2000000;
  static final int IN_EXCL_UNLINK = 0x4000000;
  static final int IN_ISDIR = 0x40000000;
  static final int IN_NONBLOCK = 04000;
  static final int IN_CLOEXEC = 02000000;
  private static final short POLLIN = 1;
  private static final int MASK =
      IN_MODIFY
          | IN_ATTRIB
          | IN_CLOSE_WRITE
          | IN_MOVED_FROM
          | IN_MOVED_TO
          | IN_CREATE
          | IN_DELETE
          | IN_DELETE_SELF
          | IN_MOVE_SELF
          | IN_ONLYDIR
          | IN_DONT_FOLLOW
          | IN_EXCL_UNLINK;

  /** The libc calls used; errno surfaces as {@link LastErrorException}. */
  interface LibC extends Library {
    int inotify_init1(int flags) throws LastErrorException;

    /** {@code path}: NUL-terminated bytes (a String would be encoded by the locale, lossily). */
    int inotify_add_watch(int fd, byte[] path, int mask) throws LastErrorException;

    int inotify_rm_watch(int fd, int wd) throws LastErrorException;

    NativeLong read(int fd, byte[] buf, NativeLong count) throws LastErrorException;

    int poll(byte[] fds, NativeLong nfds, int timeout) throws LastErrorException;

    int close(int fd);
  }

  private record Dir(String host) {}

  private final Workers workers;
  private final LibC libc;
  private final int fd;
  private final Map<Integer, Dir> byWd = new ConcurrentHashMap<>();
  private final Map<String, Integer> byPath = new ConcurrentHashMap<>();
  private volatile boolean running;
  private volatile boolean paused;
  private Thread thread;

  public InotifyBackend() {
    this(new Workers());
  }

  /** The reader thread ({@code kubefim-inotify}) runs under {@code workers}' guard. */
  public InotifyBackend(Workers workers) {
    this.workers = workers;
    this.libc = Native.load("c", LibC.class);
    this.fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  }

  /** The node-wide watch limit ({@code /proc/sys/fs/inotify/max_user_watches}), or -1. */
  public static long maxUserWatches() {
    return ProcFiles.readLong(Path.of("/proc/sys/fs/inotify/max_user_watches"), -1);
  }

  @Override
  public synchronized String watch(String hostDir, Path realDir) {
    int wd;
    try {
      wd = libc.inotify_add_watch(fd, RawPaths.cString(realDir), MASK);
    } catch (LastErrorException e) {
      int errno = e.getErrorCode();
      if (errno == 2 || errno == 20) { // ENOENT, ENOTDIR: gone already, nothing to watch
        return null;
      }
      String why =
          errno == 28
              ? "inotify watch limit reached (max_user_watches=" + maxUserWatches() + ")"
              : "inotify_add_watch failed: errno " + errno;
      return why;
    }
    Dir old = byWd.put(wd, new Dir(hostDir));
    if (old != null && !old.host.equals(hostDir)) {
      byPath.remove(old.host, wd);
    }
    byPath.put(hostDir, wd);
    return null;
  }

  @Override
  public synchronized void unwatchBelow(String hostDir) {
    for (Iterator<Map.Entry<String, Integer>> it = byPath.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Integer> e = it.next();
      if (HostPaths.isUnder(e.getKey(), hostDir)) {
        it.remove();
        Dir d = byWd.remove(e.getValue());
        if (d != null) {
          try {
            libc.inotify_rm_watch(fd, e.getValue());
          } catch (LastErrorException ignored) {
            // already gone with its directory
          }
        }
      }
    }
  }

  /** A directory renamed inside the watched set: its watches (same inodes) now report new paths. */
  private synchronized void renameBelow(String from, String to) {
    List<Map.Entry<String, Integer>> moved = new ArrayList<>();
    for (Map.Entry<String, Integer> e : byPath.entrySet()) {
      if (HostPaths.isUnder(e.getKey(), from)) {
        moved.add(e);
      }
    }
    for (Map.Entry<String, Integer> e : moved) {
      String now = to + e.getKey().substring(from.length());
      byPath.remove(e.getKey());
      byWd.put(e.getValue(), new Dir(now));
      byPath.put(now, e.getValue());
    }
  }

  @Override
  public int watchCount() {
    return byWd.size();
  }

  @Override
  public synchronized void start(Consumer<FsEvent> sink) {
    running = true;
    thread = workers.start("kubefim-inotify", true, () -> loop(sink));
  }

  private void loop(Consumer<FsEvent> sink) {
    byte[] buf = new byte[64 * 1024];
    byte[] pollfd = new byte[8];
    ByteBuffer pf = ByteBuffer.wrap(pollfd).order(ByteOrder.nativeOrder());
    Map<Integer, FsEvent> pendingFrom = new LinkedHashMap<>();
    while (running) {
      if (paused) {
        sleepQuietly(20);
        continue;
      }
      pf.putInt(0, fd).putShort(4, POLLIN).putShort(6, (short) 0);
      int n;
      try {
        n = libc.poll(pollfd, new NativeLong(1), pendingFrom.isEmpty() ? 250 : 20);
      } catch (LastErrorException e) {
        continue; // EINTR
      }
      if (n <= 0) {
        flushMovedOut(pendingFrom, sink);
        continue;
      }
      long r;
      try {
        r = libc.read(fd, buf, new NativeLong(buf.length)).longValue();
      } catch (LastErrorException e) {
        continue; // EAGAIN
      }
      boolean hadPending = !pendingFrom.isEmpty();
      Map<Integer, FsEvent> carried = hadPending ? new LinkedHashMap<>(pendingFrom) : Map.of();
      try {
        parse(buf, (int) r, pendingFrom, sink);
      } catch (RuntimeException e) {
        // the rest of this read is not handled: lost events, as for an overflow
        LOG.log(
            Level.WARNING,
            "inotify read could not be parsed, rescanning everything error={0}",
            e.toString());
        deliver(sink, new FsEvent(FsEvent.Kind.OVERFLOW, "/", null, true));
      }
      // MOVED_FROMs carried over from the previous read and still unpaired are moves out
      for (Integer cookie : carried.keySet()) {
        FsEvent f = pendingFrom.remove(cookie);
        if (f != null) {
          deliver(sink, f);
        }
      }
    }
  }

  /**
   * Test seam: stop reading (the kernel queue fills up and overflows) or resume. Production code
   * never pauses.
   */
  public void pauseReading(boolean pause) {
    this.paused = pause;
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void flushMovedOut(Map<Integer, FsEvent> pendingFrom, Consumer<FsEvent> sink) {
    for (FsEvent f : pendingFrom.values()) {
      deliver(sink, f);
    }
    pendingFrom.clear();
  }

  /**
   * Hands one event to the sink. A sink that throws loses the handling of that event only, never
   * the rest of the read: the event is replaced by an overflow (everything is rescanned, with a
   * CoverageGap), as its change may otherwise be lost. ({@link RealtimeMonitor} contains its own
   * failures per path first; this is the backend's guarantee for any sink.) Errors are not caught:
   * they stop the reader, and its guard turns health DOWN.
   */
  private static void deliver(Consumer<FsEvent> sink, FsEvent e) {
    try {
      sink.accept(e);
    } catch (RuntimeException ex) {
      LOG.log(
          Level.WARNING,
          "inotify event handler failed, rescanning everything path={0} error={1}",
          new Object[] {e.path(), ex.toString()});
      if (e.kind() != FsEvent.Kind.OVERFLOW) {
        deliver(sink, new FsEvent(FsEvent.Kind.OVERFLOW, "/", null, true));
      }
    }
  }

  private void parse(
      byte[] buf, int len, Map<Integer, FsEvent> pendingFrom, Consumer<FsEvent> sink) {
    ByteBuffer b = ByteBuffer.wrap(buf, 0, len).order(ByteOrder.nativeOrder());
    while (b.remaining() >= 16) {
      int wd = b.getInt();
      int mask = b.getInt();
      int cookie = b.getInt();
      int nameLen = b.getInt();
      String name = "";
      if (nameLen > 0) {
        int start = b.position();
        int end = start;
        while (end < start + nameLen && buf[end] != 0) {
          end++;
        }
        name = NameCodec.render(buf, start, end - start); // as the scan renders it
        b.position(start + nameLen);
      }
      if ((mask & IN_Q_OVERFLOW) != 0) {
        deliver(sink, new FsEvent(FsEvent.Kind.OVERFLOW, "/", null, true));
        continue;
      }
      Dir dir = byWd.get(wd);
      if ((mask & IN_IGNORED) != 0) {
        synchronized (this) {
          Dir d = byWd.remove(wd);
          if (d != null) {
            byPath.remove(d.host, wd);
          }
        }
        continue;
      }
      if (dir == null) {
        continue;
      }
      boolean isDir = (mask & IN_ISDIR) != 0;
      if (name.isEmpty()) {
        if ((mask & (IN_DELETE_SELF | IN_MOVE_SELF)) != 0) {
          deliver(sink, new FsEvent(FsEvent.Kind.SELF_GONE, dir.host, null, true));
        } else if ((mask & IN_ATTRIB) != 0) {
          deliver(sink, new FsEvent(FsEvent.Kind.CHANGED, dir.host, null, true));
        }
        continue;
      }
      String path = dir.host.equals("/") ? "/" + name : dir.host + "/" + name;
      if ((mask & IN_MOVED_FROM) != 0) {
        pendingFrom.put(cookie, new FsEvent(FsEvent.Kind.MOVED_OUT, path, null, isDir));
      } else if ((mask & IN_MOVED_TO) != 0) {
        FsEvent from = pendingFrom.remove(cookie);
        if (from != null) {
          if (isDir) {
            renameBelow(from.path(), path);
          }
          deliver(sink, new FsEvent(FsEvent.Kind.MOVED, path, from.path(), isDir));
        } else {
          deliver(sink, new FsEvent(FsEvent.Kind.MOVED_IN, path, null, isDir));
        }
      } else if ((mask & IN_CREATE) != 0 && isDir) {
        deliver(sink, new FsEvent(FsEvent.Kind.CREATED_DIR, path, null, true));
      } else {
        deliver(sink, new FsEvent(FsEvent.Kind.CHANGED, path, null, isDir));
      }
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
    libc.close(fd);
  }
}
