package io.kubefim.agent.engine;

import io.kubefim.agent.baseline.BaselineStore;
import io.kubefim.agent.baseline.EntryWrite;
import io.kubefim.agent.config.RuleSet;
import io.kubefim.agent.config.Selection;
import io.kubefim.agent.engine.DirectoryLister.ListedEntry;
import io.kubefim.agent.engine.DirectoryLister.Listing;
import io.kubefim.agent.engine.ScanEngine.ScanResult;
import io.kubefim.agent.scan.FileObserver;
import io.kubefim.agent.scan.FileState;
import io.kubefim.agent.scan.HostFs;
import io.kubefim.agent.scan.WalkDepth;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FileType;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The state of one walk: pending items, walked directories, counters. Walks (explicit stack,
 * listings read ahead by {@link DirectoryLister}), collects items in batches, hashes a batch on the
 * pool ({@link BatchHasher}) while walking on, and settles it: decides ({@link ChangeDecider}) and
 * writes baseline and events through the {@link ChangeWriter}, one transaction a batch.
 *
 * <p>Threading: made and driven by {@link ScanEngine} on the engine thread, one pass at a time.
 */
final class ScanPass {
  // the engine's logger, as before the split: logging configuration by name keeps working
  private static final Logger LOG = Logger.getLogger(ScanEngine.class.getName());
  private static final int BATCH_ENTRIES = 4096;
  private static final long BATCH_BYTES = 64L << 20;
  // subdirectories listed ahead of the walk (see DirectoryLister for the threads that do it)
  private static final int READ_AHEAD = 4;

  private final RuleSet rules;
  private final HostFs fs;
  private final BaselineStore store;
  private final ChangeWriter writer;
  private final EventFactory events;
  private final FileObserver observer;
  private final DirectoryLister lister;
  private final BatchHasher hasher;
  private final HashLane lane;
  private final ChangeDecider decider;
  // directories past WalkDepth.MAX already reported (the engine's, kept across passes)
  private final Set<String> depthGaps;

  // creating, roots, out, meta and walkDirs are read or set by ScanEngine around the pass's steps
  final boolean creating;
  private final long started = System.nanoTime();
  final Set<String> roots = new HashSet<>();
  private final Set<String> walked = new HashSet<>();
  private final List<Item> pending = new ArrayList<>();
  final List<FimEvent> out = new ArrayList<>();
  final Map<String, String> meta = new HashMap<>();
  private final Map<ChangeType, Integer> counts = new HashMap<>();
  boolean walkDirs = true;
  private long pendingBytes;
  // the batch being hashed on the pool while this thread walks on
  private InFlight inFlight;
  private long seen;
  // realtime work let in while this pass runs (a full scan, issue 18), and what it reconciled:
  // this pass's own observations of those paths are older than the realtime ones and are dropped
  private Runnable letIn;
  private final Superseded superseded = new Superseded();

  /**
   * @param depthGaps the engine's set of directories already reported past the depth bound
   * @param creating true when this pass creates the baseline
   */
  ScanPass(
      RuleSet rules,
      HostFs fs,
      BaselineStore store,
      ChangeWriter writer,
      EventFactory events,
      FileObserver observer,
      DirectoryLister lister,
      BatchHasher hasher,
      HashLane lane,
      Set<String> depthGaps,
      boolean creating,
      DetectionSource source) {
    this.rules = rules;
    this.fs = fs;
    this.store = store;
    this.writer = writer;
    this.events = events;
    this.observer = observer;
    this.lister = lister;
    this.hasher = hasher;
    this.lane = lane;
    this.depthGaps = depthGaps;
    this.creating = creating;
    this.decider = new ChangeDecider(events, creating, source);
  }

  /**
   * New entries of paths {@code quiet} accepts go into the baseline without an event (hot reload:
   * newly monitored).
   */
  void quietNew(Predicate<String> quiet) {
    decider.quietNew(quiet);
  }

  /** New entries recorded without an event so far. */
  long quietlyAdded() {
    return decider.quietlyAdded();
  }

  /**
   * Lets {@code work} (realtime work due now, run on this thread) in between two directories of the
   * walk and while this pass waits for its reads, so a long or budgeted scan does not hold realtime
   * detection up. What that work reconciles must be told to {@link #supersede}.
   */
  void letIn(Runnable work) {
    this.letIn = work;
  }

  /**
   * Realtime work reconciled {@code path} (and, with {@code tree}, everything below it) while this
   * pass ran: this pass neither compares nor writes it any more, since what it observed is older; a
   * later change there is realtime's again.
   */
  void supersede(String path, boolean tree) {
    superseded.add(path, tree);
  }

  private void letRealtimeIn() {
    if (letIn != null) {
      letIn.run();
    }
  }

  long millis() {
    return (System.nanoTime() - started) / 1_000_000;
  }

  ScanResult result() {
    return new ScanResult(seen, Map.copyOf(counts), millis(), creating);
  }

  void add(Item item) throws IOException {
    pending.add(item);
    seen++;
    if (item.needsHash()) {
      pendingBytes += item.after.size();
    }
    if (pending.size() >= BATCH_ENTRIES || pendingBytes >= BATCH_BYTES) {
      handOff();
    }
  }

  /** Compares one path (and walks it when it is a directory to descend). */
  void pointCheck(String path) throws IOException {
    Path real = fs.toReal(path);
    FileState before = store.get(path);
    FileState now;
    String error = null;
    try {
      now = observer.stat(real);
    } catch (IOException e) {
      now = null;
      error = "cannot stat: " + e.getMessage();
    }
    Selection sel = rules.select(path);
    if (error != null && before != null) {
      LOG.log(Level.WARNING, "stat failed path={0} error={1}", new Object[] {path, error});
      return; // keep the baseline: an unreadable path is not a deletion
    }
    if (now != null || before != null) {
      if (sel != null || before != null) {
        add(new Item(path, real, sel, before, now, null));
      }
    }
    if (walkDirs && now != null && now.type() == FileType.Directory && rules.descends(path)) {
      walk(path, real);
    }
  }

  /**
   * Compares the entries of {@code dir} and walks its subdirectories depth first, with an explicit
   * stack (a tree thousands of levels deep must not overflow the thread's stack) and no deeper than
   * {@link WalkDepth#MAX}. The listings (and the {@code lstat} of every entry) of the next few
   * subdirectories are read ahead ({@link DirectoryLister#listAhead}) while this thread compares
   * and writes, so the system calls of the walk run beside the comparison.
   */
  void walk(String dir, Path realDir) throws IOException {
    ArrayDeque<Subdirs> stack = new ArrayDeque<>();
    Subdirs top = visit(dir, realDir, null);
    if (top != null) {
      stack.push(top);
    }
    while (!stack.isEmpty()) {
      letRealtimeIn();
      Subdirs s = stack.peek();
      if (s.next == s.paths.size()) {
        stack.pop();
        continue;
      }
      int i = s.next++;
      while (s.ahead.size() < s.paths.size() && s.ahead.size() <= i + READ_AHEAD) {
        int j = s.ahead.size();
        String d = s.paths.get(j);
        Path r = s.reals.get(j);
        s.ahead.add(walked.contains(d) ? null : lister.listAhead(d, r));
      }
      Future<Listing> ahead = s.ahead.set(i, null);
      Subdirs below = visit(s.paths.get(i), s.reals.get(i), ahead);
      if (below != null) {
        stack.push(below);
      }
    }
  }

  /** A directory's subdirectories still to walk, and their listings read ahead. */
  private static final class Subdirs {
    final List<String> paths = new ArrayList<>();
    final List<Path> reals = new ArrayList<>();
    final List<Future<Listing>> ahead = new ArrayList<>();
    int next;
  }

  /**
   * Compares the entries of {@code dir} (listed now, or by {@code ahead}); returns the
   * subdirectories to walk next, or null when it was walked before. A subdirectory past {@link
   * WalkDepth#MAX} is compared as an entry but not listed: a CoverageGap names it, once.
   */
  private Subdirs visit(String dir, Path realDir, Future<Listing> ahead) throws IOException {
    if (!walked.add(dir)) {
      return null;
    }
    if (WalkDepth.tooDeep(dir)) {
      depthGap(dir);
      return null;
    }
    Listing listing = ahead != null ? await(ahead, "walking") : lister.list(dir, realDir);
    Map<String, FileState> base = listing.base();
    Subdirs subdirs = new Subdirs();
    for (ListedEntry e : listing.entries()) {
      String path = dir.equals("/") ? "/" + e.name() : dir + "/" + e.name();
      FileState before = base.remove(path);
      if (roots.contains(path)) {
        continue;
      }
      if (e.error() != null) {
        LOG.log(Level.WARNING, "stat failed path={0} error={1}", new Object[] {path, e.error()});
        continue;
      }
      Selection sel = rules.select(path);
      FileState now = e.state();
      if ((sel != null || before != null) && (now != null || before != null)) {
        add(new Item(path, e.real(), sel, before, now, null));
      }
      if (now != null && now.type() == FileType.Directory && rules.descends(path)) {
        if (WalkDepth.tooDeep(path)) {
          depthGap(path);
        } else {
          subdirs.paths.add(path);
          subdirs.reals.add(e.real());
        }
      }
    }
    IOException failure = listing.failure();
    if (failure != null
        && !(failure instanceof NoSuchFileException)
        && !(failure instanceof NotDirectoryException)) {
      LOG.log(Level.WARNING, "cannot list path={0} error={1}", new Object[] {dir, failure});
      base.clear(); // unreadable is not deleted
    }
    // (gone since it was seen: what it held is found by the straggler pass)
    for (Map.Entry<String, FileState> gone : base.entrySet()) {
      if (!roots.contains(gone.getKey())) {
        add(
            new Item(
                gone.getKey(),
                fs.toReal(gone.getKey()),
                rules.select(gone.getKey()),
                gone.getValue(),
                null,
                null));
      }
    }
    return subdirs;
  }

  /** Records the CoverageGap for a directory past the depth bound, once per engine. */
  private void depthGap(String dir) {
    if (depthGaps.add(dir)) {
      LOG.log(Level.WARNING, "too deep, not walked path={0}", dir);
      out.add(
          events
              .agent(ChangeType.CoverageGap, WalkDepth.gapDetails(dir), WalkDepth.GAP_REASON)
              .setFilePath(dir));
    }
  }

  /**
   * The result of {@code task}, run on a pool for this pass; a runtime exception it threw is
   * rethrown as it is, anything else is an IOException naming {@code what}.
   */
  private static <T> T await(Future<T> task, String what) throws IOException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while " + what, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(what + " failed", e.getCause());
    }
  }

  /**
   * Compares every baseline entry below {@code dir} that the walk did not reach (its directory is
   * gone, or no longer walked): what the scan did not see is deleted.
   */
  void stragglers(String dir) throws IOException {
    List<String> missed = new ArrayList<>();
    for (String parent : store.parentsBelow(dir)) {
      if (!walked.contains(parent)) {
        for (String path : store.childPaths(parent)) {
          if (!roots.contains(path)) {
            missed.add(path);
          }
        }
      }
    }
    Collections.sort(missed);
    boolean w = walkDirs;
    walkDirs = false;
    for (String p : missed) {
      pointCheck(p);
    }
    walkDirs = w;
    flush();
  }

  /**
   * Settles everything: hashes the pending batch, decides and writes it together with the collected
   * agent events and meta values.
   */
  void flush() throws IOException {
    handOff();
    settle(true);
  }

  /**
   * Starts hashing the pending batch on the pool and, meanwhile, settles the batch before it, so
   * that the walk and the database writes of this thread overlap the hashing (one batch in flight).
   * Reads of the store between hand-offs see the baseline as of the last settled batch, as they did
   * before between flushes: a batch only writes the paths it holds.
   */
  void handOff() throws IOException {
    List<Item> batch = new ArrayList<>(pending);
    pending.clear();
    pendingBytes = 0;
    InFlight next = new InFlight(batch, hasher.start(batch, lane));
    settle(false);
    inFlight = next;
  }

  /** A batch and its hashing on the pool (null when nothing in it needs reading). */
  private record InFlight(List<Item> items, DeadlineBatch<Item> hashing) {}

  /** Waits for the batch in flight, decides and writes it (with {@code out}/{@code meta}). */
  private void settle(boolean withCollected) throws IOException {
    List<Item> batch = List.of();
    if (inFlight != null) {
      batch = inFlight.items();
      DeadlineBatch<Item> hashing = inFlight.hashing();
      inFlight = null;
      if (hashing != null) {
        try {
          hashing.await(letIn == null ? null : this::letRealtimeIn);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while hashing", e);
        }
      }
    }
    List<EntryWrite> writes = new ArrayList<>(batch.size());
    List<FimEvent> events = withCollected ? out : new ArrayList<>();
    boolean anySuperseded = !superseded.isEmpty();
    for (Item it : batch) {
      if (!anySuperseded || !superseded.contains(it.path)) {
        decider.decide(it, writes, events);
      }
    }
    Map<String, String> metaNow = withCollected ? meta : Map.of();
    // in path order (a stable sort: two writes of one path keep their order), so the inserts
    // walk the primary-key B-tree from left to right
    writes.sort(Comparator.comparing(EntryWrite::path));
    if (!writes.isEmpty() || !events.isEmpty() || !metaNow.isEmpty()) {
      writer.write(writes, events, metaNow);
    }
    for (FimEvent e : events) {
      counts.merge(e.getChangeType(), 1, Integer::sum);
    }
    if (withCollected) {
      out.clear();
      meta.clear();
    }
  }
}
