package io.kubefim.agent.watch;

import io.kubefim.agent.config.RuleSet;
import io.kubefim.agent.engine.DirectoryListener;
import io.kubefim.agent.scan.HostFs;
import io.kubefim.agent.scan.RawPaths;
import io.kubefim.agent.scan.WalkDepth;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns backend events into debounced work: ignores paths no rule cares about, places watches on a
 * new or moved-in directory at once (on the backend thread, before anything is created in it can be
 * missed: what was created before the watch is found by the subtree scan that follows), and records
 * coverage gaps (watches refused) for the engine thread to report.
 */
public final class RealtimeMonitor implements DirectoryListener {
  private static final Logger LOG = Logger.getLogger(RealtimeMonitor.class.getName());
  private final RuleSet rules;
  private final HostFs fs;
  private final WatchBackend backend;
  private final RealtimeQueue queue;
  private final LongSupplier clock;
  private final Map<String, String> gaps = new LinkedHashMap<>();
  private final Map<String, Boolean> reportedGaps = new LinkedHashMap<>();
  private long overflows;

  public RealtimeMonitor(
      RuleSet rules, HostFs fs, WatchBackend backend, RealtimeQueue queue, LongSupplier clock) {
    this.rules = rules;
    this.fs = fs;
    this.backend = backend;
    this.queue = queue;
    this.clock = clock;
  }

  public void start() {
    backend.start(this::onEvent);
  }

  /** Called by walks (engine thread) for every directory entered. */
  @Override
  public void onDirectory(String hostPath, Path real) {
    if (!rules.realtimeAt(hostPath)) {
      return;
    }
    String why = backend.watch(hostPath, real);
    if (why != null) {
      synchronized (this) {
        if (reportedGaps.putIfAbsent(hostPath, Boolean.TRUE) == null) {
          gaps.put(hostPath, why);
        }
      }
    }
  }

  /** Coverage gaps found since the last call: path → reason. */
  public synchronized Map<String, String> takeGaps() {
    Map<String, String> g = new LinkedHashMap<>(gaps);
    gaps.clear();
    return g;
  }

  /** Overflows seen so far. */
  public synchronized long overflows() {
    return overflows;
  }

  private boolean relevant(String path) {
    return rules.select(path) != null || rules.descends(path);
  }

  /**
   * Handles one event. A failure is contained to the event: its path is queued as failed (the
   * engine rescans its subtree at once, with a CoverageGap) and the events after it in the same
   * read are still handled.
   */
  void onEvent(FsEvent e) {
    try {
      handle(e);
    } catch (RuntimeException ex) {
      String path = e.kind() == FsEvent.Kind.OVERFLOW ? "/" : e.path();
      LOG.log(
          Level.WARNING,
          "realtime event handling failed, rescanning path={0} kind={1} error={2}",
          new Object[] {path, e.kind(), ex.toString()});
      queue.failed(path, ex.toString());
      if (e.kind() == FsEvent.Kind.MOVED && e.from() != null) {
        queue.failed(e.from(), ex.toString());
      }
    }
  }

  private void handle(FsEvent e) {
    long now = clock.getAsLong();
    switch (e.kind()) {
      case OVERFLOW -> {
        synchronized (this) {
          overflows++;
        }
        LOG.log(Level.WARNING, "realtime backend overflow: events lost, rescanning");
        queue.rescanAll();
      }
      case CHANGED -> {
        if (relevant(e.path())) {
          queue.touch(e.path(), now);
        }
      }
      case CREATED_DIR, MOVED_IN -> {
        if (e.directory() && rules.descends(e.path())) {
          watchTree(e.path());
          queue.touchSubtree(e.path(), now);
        } else if (relevant(e.path())) {
          queue.touch(e.path(), now);
        }
      }
      case MOVED_OUT, SELF_GONE -> {
        if (e.kind() == FsEvent.Kind.MOVED_OUT && e.directory()) {
          backend.unwatchBelow(e.path()); // its watches would report the old paths
        }
        if (e.directory()) {
          queue.touchSubtree(e.path(), now);
        } else if (relevant(e.path())) {
          queue.touch(e.path(), now);
        }
      }
      case MOVED -> {
        boolean fromRel = relevant(e.from());
        boolean toRel = relevant(e.path());
        if (e.directory()) {
          if (rules.descends(e.path())) {
            watchTree(e.path()); // new paths below: watches follow inodes, new dirs may exist
          } else {
            backend.unwatchBelow(e.path());
          }
        }
        if (fromRel || toRel) {
          queue.rename(e.from(), e.path(), now);
        }
      }
    }
  }

  /**
   * Places watches on {@code dir} and every directory below that the rules descend into, down to
   * {@link WalkDepth#MAX} (the subtree scan that follows reports a CoverageGap for what is deeper).
   */
  private void watchTree(String dir) {
    List<String> todo = new ArrayList<>();
    todo.add(dir);
    while (!todo.isEmpty()) {
      String d = todo.remove(todo.size() - 1);
      if (WalkDepth.tooDeep(d)) {
        continue;
      }
      Path real = fs.toReal(d);
      onDirectory(d, real);
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(real)) {
        for (Path c : ds) {
          String child = d + "/" + RawPaths.name(c);
          if (Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS) && rules.descends(child)) {
            todo.add(child);
          }
        }
      } catch (IOException ex) {
        LOG.log(Level.FINE, "cannot list path={0} error={1}", new Object[] {d, ex});
      }
    }
  }

  /** What an overflow of the backend is called ({@link WatchBackend#overflow}). */
  public WatchBackend.Overflow overflow() {
    return backend.overflow();
  }
}
