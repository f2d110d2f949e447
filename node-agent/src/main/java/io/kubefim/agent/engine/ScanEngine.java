package io.kubefim.agent.engine;

import io.kubefim.agent.baseline.BaselineStore;
import io.kubefim.agent.baseline.EntryWrite;
import io.kubefim.agent.config.RuleSet;
import io.kubefim.agent.config.Selection;
import io.kubefim.agent.diff.Change;
import io.kubefim.agent.diff.Differ;
import io.kubefim.agent.scan.FileObserver;
import io.kubefim.agent.scan.FileState;
import io.kubefim.agent.scan.HostFs;
import io.kubefim.agent.scan.NotRegularFileException;
import io.kubefim.agent.scan.RawPaths;
import io.kubefim.agent.scan.WalkDepth;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FileType;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.glob.HostPaths;
import io.kubefim.api.policy.Attribute;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Compares the file system with the baseline and records what changed: walks, observes (metadata
 * first, digests only when the metadata says the content may have changed, on every core), diffs,
 * and writes baseline and events through the {@link ChangeWriter} in batches, one transaction each.
 *
 * <p>Threading: every public method must be called from one thread (the engine thread); only
 * hashing fans out to the pool.
 */
public final class ScanEngine {
  public static final String META_BASELINE_CREATED = "baseline_created";
  private static final Logger LOG = Logger.getLogger(ScanEngine.class.getName());
  private static final int BATCH_ENTRIES = 4096;
  private static final long BATCH_BYTES = 64L << 20;
  // the slowest read rate (bytes/s) a file system may have before a read counts as stalled
  private static final long MIN_READ_RATE = 8L << 20;
  // subdirectories listed ahead of the walk, and the threads that do it (daemon threads, shared by
  // every engine, one a core: with one fewer the engine thread waited for them on 2 cores)
  private static final int READ_AHEAD = 4;
  private static final ForkJoinPool READ_AHEAD_POOL =
      new ForkJoinPool(
          Math.max(1, Runtime.getRuntime().availableProcessors()),
          ForkJoinPool.defaultForkJoinWorkerThreadFactory,
          null,
          false);

  private final RuleSet rules;
  private final HostFs fs;
  private final BaselineStore store;
  private final ChangeWriter writer;
  private final EventFactory events;
  private final FileObserver observer;
  private final ForkJoinPool pool;
  private DirectoryListener listener = DirectoryListener.NONE;
  // a file's read may take this long plus its size at MIN_READ_RATE before it is given up
  private Duration readDeadline = Duration.ofSeconds(30);
  // directories past WalkDepth.MAX already reported (engine thread only)
  private final Set<String> depthGaps = new HashSet<>();

  public ScanEngine(
      RuleSet rules,
      HostFs fs,
      BaselineStore store,
      ChangeWriter writer,
      EventFactory events,
      FileObserver observer,
      ForkJoinPool pool) {
    this.rules = rules;
    this.fs = fs;
    this.store = store;
    this.writer = writer;
    this.events = events;
    this.observer = observer;
    this.pool = pool;
  }

  public void setDirectoryListener(DirectoryListener listener) {
    this.listener = listener;
  }

  /**
   * How long the read of one file may take, plus its size at 8 MiB/s, before the file gets an
   * ErrorMessage and the scan goes on without it (default 30 s).
   */
  public void setReadDeadline(Duration base) {
    this.readDeadline = base;
  }

  public RuleSet rules() {
    return rules;
  }

  public HostFs hostFs() {
    return fs;
  }

  /** True once a baseline was completed in this state directory. */
  public boolean baselineExists() throws IOException {
    return store.meta(META_BASELINE_CREATED) != null;
  }

  /**
   * Scans every rule. Without a baseline, creates it and records one BaselineCreated event;
   * otherwise records every change with {@code source}.
   */
  public ScanResult fullScan(DetectionSource source) throws IOException {
    boolean creating = !baselineExists();
    Pass pass = new Pass(creating, source);
    for (String root : rules.roots()) {
      pass.roots.add(root);
    }
    for (String root : rules.roots()) {
      String parent = HostPaths.parent(root);
      Path realParent = fs.toReal(parent);
      if (!root.equals("/") && Files.isDirectory(realParent)) {
        listener.onDirectory(parent, realParent);
      }
      pass.pointCheck(root);
    }
    pass.flush();
    pass.stragglers("/");
    if (creating) {
      FimEvent done =
          events.agent(
              ChangeType.BaselineCreated,
              "baseline of " + store.entryCount() + " entries in " + pass.millis() + " ms",
              null);
      pass.meta.put(META_BASELINE_CREATED, Instant.now().toString());
      pass.out.add(done);
    }
    pass.flush();
    return pass.result();
  }

  /** Reconciles directory {@code dir} and everything below it (a new or moved-in directory). */
  public ScanResult reconcileSubtree(String dir, DetectionSource source) throws IOException {
    Pass pass = new Pass(!baselineExists(), source);
    pass.pointCheck(dir);
    pass.flush();
    pass.stragglers(dir);
    pass.flush();
    return pass.result();
  }

  /** Reconciles single paths (a debounced realtime burst); directories are not walked. */
  public ScanResult reconcilePaths(Collection<String> paths, DetectionSource source)
      throws IOException {
    Pass pass = new Pass(!baselineExists(), source);
    pass.walkDirs = false;
    for (String p : paths) {
      pass.pointCheck(p);
    }
    pass.flush();
    return pass.result();
  }

  /**
   * A rename seen by the watcher ({@code from} → {@code to}, paired by cookie). Reported as Renamed
   * when the baseline had {@code from}, it is gone, {@code to} is monitored and new; an editor's
   * rename onto a baselined file falls through to a plain comparison (one Modified).
   */
  public ScanResult reconcileRename(String from, String to, DetectionSource source)
      throws IOException {
    Pass pass = new Pass(!baselineExists(), source);
    FileState before = store.get(from);
    FileState toBefore = store.get(to);
    FileState fromNow = observer.stat(fs.toReal(from));
    Path toReal = fs.toReal(to);
    FileState toNow = observer.stat(toReal);
    Selection toSel = rules.select(to);
    boolean renamed =
        !pass.creating
            && before != null
            && toBefore == null
            && fromNow == null
            && toNow != null
            && toSel != null
            && toNow.type() == before.type();
    if (!renamed) {
      pass.walkDirs = false;
      pass.pointCheck(from);
      pass.pointCheck(to);
      pass.flush();
      if (toNow != null && toNow.type() == FileType.Directory) {
        pass.walkDirs = true;
        pass.pointCheck(to);
        pass.flush();
        pass.stragglers(to);
      }
      pass.stragglers(from);
      pass.flush();
      return pass.result();
    }
    pass.add(new Item(to, toReal, toSel, before, toNow, from));
    if (before.type() == FileType.Directory) {
      List<String> below = new ArrayList<>();
      store.forEachBelow(from, (p, parent, type) -> below.add(p));
      for (String old : below) {
        String now = to + old.substring(from.length());
        Path real = fs.toReal(now);
        FileState st = observer.stat(real);
        Selection sel = rules.select(now);
        FileState was = store.get(old);
        if (st != null && sel != null && store.get(now) == null && was != null) {
          pass.add(new Item(now, real, sel, was, st, old));
        }
      }
    }
    pass.flush();
    if (toNow.type() == FileType.Directory) {
      pass.pointCheck(to);
      pass.flush();
      pass.stragglers(to);
    }
    pass.stragglers(from);
    pass.flush();
    return pass.result();
  }

  /** Records agent events (CoverageGap, RescanCompleted, ...) in the outbox. */
  public void emit(FimEvent... agentEvents) throws IOException {
    writer.write(List.of(), List.of(agentEvents), Map.of());
  }

  /** Records agent events and meta values in one transaction. */
  public void emit(Map<String, String> meta, FimEvent... agentEvents) throws IOException {
    writer.write(List.of(), List.of(agentEvents), meta);
  }

  /** A meta value of the state database, or null. */
  public String meta(String key) throws IOException {
    return store.meta(key);
  }

  /**
   * Puts {@code config} in force without a scan (start-up with the config of the previous run, so
   * that its catch-up scan compares like with like).
   */
  public void useConfig(AgentConfig config) {
    rules.replace(config);
    fs.setRoots(rules.roots());
  }

  /**
   * Hot reload: moves from the rules in force to {@code next} with no moment in which a path either
   * config monitors goes unwatched (SPEC §3: the new rules apply before the old are dropped).
   *
   * <ol>
   *   <li>The union of both is put in force, and every root that a new or changed rule brings is
   *       walked: the walk places the realtime watches and records what it finds in the baseline
   *       silently (a file that just became monitored is not Created).
   *   <li>Then only {@code next} is in force, and the roots of rules that went are walked again:
   *       entries no rule selects any more leave the baseline silently (no Deleted flood), and the
   *       caller drops their watches.
   * </ol>
   *
   * Real changes found on the way (a file under a kept rule that changed meanwhile) are reported as
   * usual, with DetectionSource Scan.
   */
  public ConfigChange applyConfig(AgentConfig next) throws IOException {
    AgentConfig prev = rules.config();
    RuleSet before = new RuleSet(prev);
    List<AgentRule> added = new ArrayList<>(next.rules());
    added.removeAll(prev.rules());
    List<AgentRule> removed = new ArrayList<>(prev.rules());
    removed.removeAll(next.rules());
    List<String> addedRoots = RuleSet.rootsOf(added);
    List<String> removedRoots = RuleSet.rootsOf(removed);

    useConfig(RuleSet.union(prev, next));
    Pass adding = new Pass(!baselineExists(), DetectionSource.Scan);
    adding.quietNew = p -> before.select(p) == null;
    adding.roots.addAll(rules.roots());
    for (String root : addedRoots) {
      String parent = HostPaths.parent(root);
      Path realParent = fs.toReal(parent);
      if (!root.equals("/") && Files.isDirectory(realParent)) {
        listener.onDirectory(parent, realParent);
      }
      adding.pointCheck(root);
      adding.flush();
      adding.stragglers(root);
    }
    adding.flush();
    long baselined = adding.quietlyAdded;

    useConfig(next);
    long entriesBefore = store.entryCount();
    Pass dropping = new Pass(!baselineExists(), DetectionSource.Scan);
    dropping.roots.addAll(rules.roots());
    for (String root : removedRoots) {
      dropping.pointCheck(root);
      dropping.flush();
      dropping.stragglers(root);
    }
    dropping.flush();
    long dropped = Math.max(0, entriesBefore - store.entryCount());
    return new ConfigChange(addedRoots, removedRoots, baselined, dropped, adding.result());
  }

  /**
   * What {@link #applyConfig} did.
   *
   * @param addedRoots roots of new or changed rules, walked under the union
   * @param removedRoots roots of rules that went
   * @param entriesBaselined entries that became monitored and went into the baseline silently
   * @param entriesDropped entries no rule monitors any more, removed from the baseline silently
   * @param scan the walk of the added roots (changes it reported under kept rules)
   */
  public record ConfigChange(
      List<String> addedRoots,
      List<String> removedRoots,
      long entriesBaselined,
      long entriesDropped,
      ScanResult scan) {}

  public EventFactory events() {
    return events;
  }

  /**
   * What a pass did.
   *
   * @param entriesSeen entries compared
   * @param events events recorded, by change type
   * @param millis wall time
   * @param createdBaseline true when this pass created the baseline
   */
  public record ScanResult(
      long entriesSeen, Map<ChangeType, Integer> events, long millis, boolean createdBaseline) {
    public int count(ChangeType t) {
      return events.getOrDefault(t, 0);
    }
  }

  /** One entry of a directory listing, with its metadata or why it could not be read. */
  private record ListedEntry(Path real, String name, FileState state, IOException error) {}

  /**
   * A directory's entries, {@code failure} when listing stopped early (entries up to there), and
   * the baseline's entries of that directory read just before.
   */
  private record Listing(
      List<ListedEntry> entries, IOException failure, Map<String, FileState> base) {}

  /**
   * Tells the listener about {@code dir} (the realtime watch goes on before the listing), then
   * reads the baseline's entries of {@code dir}, lists it and reads every entry's metadata. Runs on
   * the engine thread or on {@link #READ_AHEAD_POOL}.
   */
  private Listing list(String dir, Path realDir) throws IOException {
    listener.onDirectory(dir, realDir);
    Map<String, FileState> base = store.children(dir);
    List<ListedEntry> entries = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(realDir)) {
      for (Path child : ds) {
        String name = RawPaths.name(child); // lossless: names are bytes, not always UTF-8
        try {
          entries.add(new ListedEntry(child, name, observer.stat(child), null));
        } catch (IOException e) {
          entries.add(new ListedEntry(child, name, null, e));
        }
      }
    } catch (IOException e) {
      return new Listing(entries, e, base);
    }
    return new Listing(entries, null, base);
  }

  /** One path to compare; {@code renamedFrom} set for a rename. */
  private static final class Item {
    final String path;
    final Path real;
    final Selection sel;
    final FileState before;
    FileState after;
    final String renamedFrom;
    String error;

    Item(String path, Path real, Selection sel, FileState before, FileState after, String from) {
      this.path = path;
      this.real = real;
      this.sel = sel;
      this.before = before;
      this.after = after;
      this.renamedFrom = from;
    }

    boolean needsHash() {
      return sel != null
          && after != null
          && after.type() == FileType.File
          && sel.attributes().contains(Attribute.CONTENT);
    }
  }

  /** The state of one walk: pending items, walked directories, counters. */
  private final class Pass {
    final boolean creating;
    final DetectionSource source;
    final long started = System.nanoTime();
    final Set<String> roots = new HashSet<>();
    final Set<String> walked = new HashSet<>();
    final List<Item> pending = new ArrayList<>();
    final List<FimEvent> out = new ArrayList<>();
    final Map<String, String> meta = new HashMap<>();
    final Map<ChangeType, Integer> counts = new HashMap<>();
    boolean walkDirs = true;
    long pendingBytes;
    // the batch being hashed on the pool while this thread walks on
    InFlight inFlight;
    long seen;
    // paths for which a new entry is recorded without an event (hot reload: newly monitored)
    Predicate<String> quietNew = p -> false;
    long quietlyAdded;

    Pass(boolean creating, DetectionSource source) {
      this.creating = creating;
      this.source = source;
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
     * Compares the entries of {@code dir} and walks its subdirectories depth first, with an
     * explicit stack (a tree thousands of levels deep must not overflow the thread's stack) and no
     * deeper than {@link WalkDepth#MAX}. The listings (and the {@code lstat} of every entry) of the
     * next few subdirectories are read ahead on {@link #READ_AHEAD_POOL} while this thread compares
     * and writes, so the system calls of the walk run beside the comparison.
     */
    void walk(String dir, Path realDir) throws IOException {
      ArrayDeque<Subdirs> stack = new ArrayDeque<>();
      Subdirs top = visit(dir, realDir, null);
      if (top != null) {
        stack.push(top);
      }
      while (!stack.isEmpty()) {
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
          s.ahead.add(walked.contains(d) ? null : READ_AHEAD_POOL.submit(() -> list(d, r)));
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
      Listing listing = ahead != null ? await(ahead, "walking") : list(dir, realDir);
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
     * Settles everything: hashes the pending batch, decides and writes it together with the
     * collected agent events and meta values.
     */
    void flush() throws IOException {
      handOff();
      settle(true);
    }

    /**
     * Starts hashing the pending batch on the pool and, meanwhile, settles the batch before it, so
     * that the walk and the database writes of this thread overlap the hashing (one batch in
     * flight). Reads of the store between hand-offs see the baseline as of the last settled batch,
     * as they did before between flushes: a batch only writes the paths it holds.
     */
    void handOff() throws IOException {
      List<Item> batch = new ArrayList<>(pending);
      pending.clear();
      pendingBytes = 0;
      InFlight next = new InFlight(batch, startHashing(batch));
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
            hashing.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing", e);
          }
        }
      }
      List<EntryWrite> writes = new ArrayList<>(batch.size());
      List<FimEvent> events = withCollected ? out : new ArrayList<>();
      for (Item it : batch) {
        decide(it, writes, events);
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

    /**
     * Fills in digests that need no reading (metadata unchanged since they were taken) and starts
     * reading the rest on the pool, each read under a deadline; null when nothing needs reading.
     */
    private DeadlineBatch<Item> startHashing(List<Item> batch) {
      List<Item> todo = new ArrayList<>();
      for (Item it : batch) {
        if (!it.needsHash()) {
          continue;
        }
        FileState was = it.before;
        if (it.after.size() > it.sel.maxFileSize()) {
          if (was != null && was.sampleStillHolds(it.after)) {
            it.after = it.after.withSample(was.sampled());
          } else {
            todo.add(it);
          }
        } else if (was != null && was.digestsStillHold(it.after, it.sel.hashes())) {
          it.after = it.after.withHashes(was.sha256(), was.sha1(), was.md5());
        } else {
          todo.add(it);
        }
      }
      if (todo.isEmpty()) {
        return null;
      }
      return new DeadlineBatch<>(
          todo,
          this::read,
          it -> readDeadline.toNanos() + readBytes(it) * 1_000_000_000L / MIN_READ_RATE,
          (it, neverStarted) -> {
            it.after = it.after.withStaleDigestsOf(it.before);
            it.error =
                neverStarted == 0
                    ? "read stalled: no result within its deadline, not hashed"
                    : "not read: too many stalled reads in this scan";
          },
          pool,
          pool.getParallelism());
    }

    /** Reads (hashes or samples) one file; the returned action records the outcome. */
    private Runnable read(Item it) {
      FileState now = it.after;
      try {
        FileState read =
            now.size() > it.sel.maxFileSize()
                ? observer.sample(it.real, now)
                : observer.hash(it.real, now, it.sel.hashes());
        return () -> it.after = read;
      } catch (NoSuchFileException e) {
        return () -> {
          it.after = null;
          it.error = "vanished while being hashed";
        };
      } catch (NotRegularFileException e) {
        // something else was put there since the lstat: what it is now is the change
        FileState again;
        try {
          again = observer.stat(it.real);
        } catch (IOException x) {
          again = now.withStaleDigestsOf(it.before);
        }
        FileState seen = again;
        return () -> {
          it.after = seen;
          it.error = "not hashed: " + e.getMessage();
        };
      } catch (IOException | RuntimeException e) {
        // the last known digests stay, marked stale: read again next time, compared with them
        return () -> {
          it.after = now.withStaleDigestsOf(it.before);
          it.error = "cannot read: " + e.getMessage();
        };
      }
    }

    private long readBytes(Item it) {
      long size = it.after.size();
      return size > it.sel.maxFileSize()
          ? (long) FileObserver.SAMPLES * FileObserver.SAMPLE_BLOCK
          : size;
    }

    private void decide(Item it, List<EntryWrite> writes, List<FimEvent> out) {
      if (it.sel == null) {
        // no longer monitored (rules changed): drop silently
        if (it.before != null && it.renamedFrom == null) {
          writes.add(new EntryWrite(it.path, null, true));
        }
        return;
      }
      if (it.renamedFrom != null) {
        writes.add(new EntryWrite(it.renamedFrom, null, true));
        writes.add(new EntryWrite(it.path, it.after, false));
        out.add(
            events.file(
                ChangeType.Renamed,
                it.path,
                it.renamedFrom,
                null,
                it.before,
                it.after,
                it.sel,
                source,
                it.error));
        return;
      }
      if (it.after == null) {
        if (it.before != null) {
          writes.add(new EntryWrite(it.path, null, true));
          if (!creating) {
            out.add(
                events.file(
                    ChangeType.Deleted,
                    it.path,
                    null,
                    null,
                    it.before,
                    null,
                    it.sel,
                    source,
                    it.error));
          }
        }
        return;
      }
      if (it.before == null || it.after.differsFrom(it.before)) {
        writes.add(new EntryWrite(it.path, it.after, it.before != null));
      }
      if (creating) {
        return;
      }
      if (it.before == null && quietNew.test(it.path)) {
        quietlyAdded++;
        return;
      }
      Change c = Differ.diff(it.before, it.after, it.sel.attributes(), it.sel.hashes());
      if (c == null
          && it.error != null
          && it.before != null
          && !it.before.stale()
          && (it.before.sha256() != null || it.before.sampled() != null)) {
        // was readable, is not now: say so once (the stored entry's digests are stale from now on)
        c = new Change(ChangeType.Modified, List.of());
      }
      if (c != null) {
        out.add(
            events.file(
                c.type(),
                it.path,
                null,
                c.fields(),
                it.before,
                it.after,
                it.sel,
                source,
                it.error));
      }
    }
  }
}
