package io.kubefim.agent.attribution;

import io.kubefim.agent.config.RuleSet;
import io.kubefim.agent.config.Selection;
import io.kubefim.agent.engine.EventAttribution;
import io.kubefim.api.event.Attribution;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.pods.PodIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Joins fanotify's <em>who</em> to the engine's <em>what</em>. As each fanotify event is read
 * ({@link #onEvent}), the writer is identified at once from {@code /proc} (a short-lived writer is
 * gone a moment later) and recorded for the event's paths; when the engine makes the debounced
 * event of a path ({@link #attribute}), it drains the queue and takes that path's last writer and
 * the number of writers. An identity is only reported while it is certain: a pidfd (Linux 5.15+)
 * shows the process still held its pid after {@code /proc} was read; a process that had exited
 * keeps its pid and says so in ErrorMessage, never another process's name.
 *
 * <p>Threading: {@link #onEvent} and {@link #onOverflow} run under the source's lock (reader or
 * engine thread); {@link #attribute} on the engine thread.
 */
public final class Attributor implements FanotifySource.Listener, EventAttribution {
  private static final int PROCESS_CACHE = 4096;
  private final RuleSet rules;
  private final ProcReader proc;
  private final Accounts accounts;
  private final PodDirectory pods;
  private final LongSupplier clock;
  private final WriterLog log = new WriterLog();

  /** A writer identified, and the pidfs identity of its process (-1: none). */
  private record Known(Writer writer, long pidfdIdentity) {}

  private final Map<Long, Known> processes =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Known> e) {
          return size() > PROCESS_CACHE;
        }
      };
  // the source this reads from; null until fanotify is open (attribution unavailable)
  private volatile FanotifySource source;
  // per read (under the source's lock): the last writer identified, the paths decided
  private int readPid = -1;
  private Writer readWriter;
  private final Map<String, Boolean> readWanted = new java.util.HashMap<>();
  private volatile String unavailable;
  private volatile long lastOverflow = Long.MIN_VALUE;
  private volatile long overflows;
  private volatile long pidlessEvents;

  public Attributor(
      RuleSet rules, ProcReader proc, Accounts accounts, PodDirectory pods, LongSupplier clock) {
    this.rules = rules;
    this.proc = proc;
    this.accounts = accounts;
    this.pods = pods;
    this.clock = clock;
  }

  /** The source whose queue {@link #attribute} drains first. */
  void readFrom(FanotifySource source) {
    this.source = source;
  }

  /** Why this node cannot attribute (null: it can): events then say so instead of a writer. */
  void unavailable(String why) {
    this.unavailable = why;
  }

  /** Overflows of the fanotify queue so far. */
  public long overflows() {
    return overflows;
  }

  /** Relevant events whose pid read 0 (the agent outside the host pid namespace). */
  public long pidlessEvents() {
    return pidlessEvents;
  }

  @Override
  public void onOverflow() {
    lastOverflow = clock.getAsLong();
    overflows++;
  }

  @Override
  public void onRead() {
    readPid = -1;
    readWriter = null;
    readWanted.clear();
  }

  @Override
  public void onEvent(List<String> hostPaths, long mask, int pid, int pidfd) {
    Writer w = null;
    long now = clock.getAsLong();
    for (String p : hostPaths) {
      if (!wanted(p)) {
        continue;
      }
      if (w == null) {
        // one identity per writer per read: its events were all read at the same moment
        if (pid != readPid || readWriter == null) {
          readWriter = identify(pid, pidfd);
          readPid = pid;
        }
        w = readWriter;
      }
      log.record(p, w, now);
    }
  }

  private boolean wanted(String path) {
    Boolean known = readWanted.get(path);
    if (known != null) {
      return known;
    }
    Selection s = rules.select(path);
    boolean w = s != null ? s.attribution() : rules.descends(path);
    if (readWanted.size() < 1024) {
      readWanted.put(path, w);
    }
    return w;
  }

  /** Who {@code pid} is, read now; see the class comment for when an identity is trusted. */
  Writer identify(int pid, int pidfd) {
    if (pid <= 0) {
      pidlessEvents++;
      return new Writer(
          0,
          null,
          null,
          "the kernel reported no pid: the writer is outside the agent's pid namespace (the agent"
              + " needs hostPID)");
    }
    FanotifySource src = source;
    if (src.pidfds() && pidfd < 0) { // FAN_NOPIDFD: reaped before the event was read
      return new Writer(
          pid, null, null, "process " + pid + " had exited before its event was read");
    }
    long identity = src.pidfdIdentity(pidfd);
    Known known = processes.get((long) pid);
    if (known != null
        && identity >= 0
        && known.pidfdIdentity() == identity
        && Objects.equals(
            known.writer().info().exe(), proc.exe(proc.root().resolve(Integer.toString(pid))))) {
      // the same process (a pidfs identity is never reused), no exec since: two syscalls
      return known.writer();
    }
    ProcReader.Stat st = proc.stat(pid);
    ProcessInfo info = null;
    if (st != null) {
      ProcessInfo cached = known == null ? null : known.writer().info();
      boolean alive = st.state() != 'Z' && st.state() != 'X';
      if (cached != null
          && alive
          && cached.startTicks() == st.startTicks()
          && Objects.equals(cached.exe(), proc.exe(proc.root().resolve(Integer.toString(pid))))) {
        info = cached; // same process, no exec since: its command line and cgroup stand
      } else {
        info = proc.read(pid);
      }
    }
    if (info != null && pidfd >= 0 && !stillHeld(pidfd, pid)) {
      info = null; // reaped while we read: what we read may be another process's
    }
    if (info == null) {
      return new Writer(
          pid, null, null, "process " + pid + " exited before it could be identified");
    }
    ProcReader.Stat parent = proc.stat(info.ppid());
    String parentComm = parent == null ? null : parent.comm();
    if (info.zombie()) {
      processes.remove((long) pid);
      return new Writer(
          pid,
          info,
          parentComm,
          "process "
              + pid
              + " ("
              + info.comm()
              + ") had exited before it could be read: its image, command line and container are"
              + " unknown");
    }
    Writer w = new Writer(pid, info, parentComm, null, ancestors(info.ppid()));
    processes.put((long) pid, new Known(w, identity));
    if (info.cgroup() != null && info.cgroup().podUid() != null) {
      pods.prefetch(info.cgroup().podUid(), info.cgroup().containerId());
    }
    return w;
  }

  /** How far up the writer's ancestors are read: dpkg → sh → a maintainer script's tool. */
  static final int MAX_ANCESTORS = 4;

  /**
   * The exes of {@code ppid} and its ancestors, parent first, up to {@link #MAX_ANCESTORS}, not pid
   * 1 or the kernel's: what labels a package manager's children (issue 17). Read once per process
   * identified (cached with it).
   */
  private List<String> ancestors(long ppid) {
    List<String> out = new ArrayList<>(MAX_ANCESTORS);
    long p = ppid;
    for (int i = 0; i < MAX_ANCESTORS && p > 1; i++) {
      ProcReader.Stat st = proc.stat(p);
      if (st == null) {
        break;
      }
      String exe = proc.exe(proc.root().resolve(Long.toString(p)));
      out.add(exe == null ? "" : exe);
      p = st.ppid();
    }
    return out;
  }

  /** True while {@code pidfd} still refers to a process holding {@code pid} (alive or zombie). */
  private static boolean stillHeld(int pidfd, int pid) {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc/self/fdinfo/" + pidfd), StandardCharsets.UTF_8)) {
        if (line.startsWith("Pid:")) {
          return Long.parseLong(line.substring(4).trim()) == pid;
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return false;
  }

  @Override
  public void attribute(FimEvent e, String path, String originalPath) {
    FanotifySource src = source;
    if (src == null) {
      String why = unavailable;
      appendError(
          e,
          "writer unknown: attribution is unavailable on this node"
              + (why == null ? "" : ": " + why));
      return;
    }
    src.drain();
    long now = clock.getAsLong();
    WriterLog.Taken t = log.take(path, now);
    if (originalPath != null) {
      WriterLog.Taken old = log.take(originalPath, now);
      log.forget(originalPath);
      if (t == null) {
        t = old;
      }
    }
    if (t == null) {
      boolean overflowed = overflows > 0 && now - lastOverflow <= WriterLog.TTL_MILLIS;
      appendError(
          e,
          overflowed
              ? "writer unknown: the fanotify queue overflowed"
              : "writer unknown: fanotify reported no event for this path");
      return;
    }
    fill(e.getAttribution(), t);
    if (t.last().unknown() != null) {
      appendError(e, "writer: " + t.last().unknown());
    }
  }

  private void fill(Attribution a, WriterLog.Taken t) {
    Writer w = t.last();
    if (w.pid() > 0) {
      a.setProcessId(w.pid());
    }
    if (t.writers() > 1) {
      a.setProcessCount(t.writers());
    }
    ProcessInfo info = w.info();
    if (info == null) {
      return;
    }
    if (!info.zombie()) {
      a.setProcessName(info.comm())
          .setProcessImageFilePath(info.exe())
          .setProcessCommandLine(info.commandLine());
    }
    a.setAncestorImageFilePaths(w.ancestorExes());
    a.setProcessCreationTime(info.creationTime())
        .setProcessParentId(info.ppid())
        .setProcessParentName(w.parentComm());
    if (info.uid() >= 0) {
      a.setProcessPosixUserId(info.uid()).setProcessAccountName(accounts.name(info.uid()));
    }
    if (info.loginUid() >= 0) {
      a.setProcessLoginUserId(info.loginUid())
          .setProcessLoginAccountName(accounts.name(info.loginUid()));
    }
    CgroupIdentity cg = info.cgroup();
    if (cg == null || cg.isHost()) {
      return;
    }
    a.setContainerId(cg.containerId()).setPodUid(cg.podUid());
    if (cg.podUid() != null) {
      PodIdentity pod = pods.pod(cg.podUid(), cg.containerId());
      if (pod != null) {
        a.setPodName(pod.name()).setPodNamespace(pod.namespace());
        if (cg.containerId() != null) {
          a.setContainerName(pod.containerName(cg.containerId()).orElse(null));
        }
      }
    }
  }

  private static void appendError(FimEvent e, String why) {
    String old = e.getErrorMessage();
    e.setErrorMessage(old == null ? why : old + "; " + why);
  }
}
