package io.kubefim.agent.engine;

import io.kubefim.agent.baseline.BaselineStore;
import io.kubefim.agent.config.RuleSet;
import io.kubefim.agent.config.Selection;
import io.kubefim.agent.scan.FileObserver;
import io.kubefim.agent.scan.FileState;
import io.kubefim.agent.scan.HostFs;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.config.ScanBudget;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FileType;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.glob.HostPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;

/**
 * Compares the file system with the baseline and records what changed: walks, observes (metadata
 * first, digests only when the metadata says the content may have changed, on every core), diffs,
 * and writes baseline and events through the {@link ChangeWriter} in batches, one transaction each.
 * Each public scan method runs one {@link ScanPass}; this class chooses what a pass looks at.
 *
 * <p>Threading: every public method must be called from one thread (the engine thread); only
 * hashing fans out: realtime passes to the agent's pool, full scans to a pool of their own under
 * the node's scan budget ({@link HashLane}). A full scan lets realtime work in as it goes ({@link
 * #letRealtimeIn}).
 */
public final class ScanEngine {
  public static final String META_BASELINE_CREATED = "baseline_created";

  private final RuleSet rules;
  private final HostFs fs;
  private final BaselineStore store;
  private final ChangeWriter writer;
  private final EventFactory events;
  private final FileObserver observer;
  private final DirectoryLister lister;
  private final BatchHasher hasher;
  // directories past WalkDepth.MAX already reported (engine thread only)
  private final Set<String> depthGaps = new HashSet<>();
  // realtime passes read on the agent's pool; full scans on their own, under the scan budget
  private final ScanLanes lanes;
  // realtime work a full scan lets in (the daemon's), and the full scan running now
  private Runnable letIn;
  private ScanPass scanning;

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
    this.lister = new DirectoryLister(store, observer);
    this.hasher = new BatchHasher(observer);
    this.lanes = new ScanLanes(pool, rules.config().scanBudget());
  }

  /**
   * Realtime work for a full scan to let in (issue 18): run on the engine thread between two
   * directories of the walk and while the scan waits for its reads, so that a scan, budgeted or
   * not, never holds realtime detection up. It must only reconcile paths (never scan in full or
   * change the config). Not used while the baseline is being created.
   */
  public void letRealtimeIn(Runnable work) {
    this.letIn = work;
  }

  /** The scan budget in force (the strictest of the config's policies). */
  public ScanBudget scanBudget() {
    return lanes.budget();
  }

  /** Stops the scan threads (the agent's pool is its owner's). */
  public void close() {
    lanes.close();
  }

  public void setDirectoryListener(DirectoryListener listener) {
    lister.setListener(listener);
  }

  /**
   * How long the read of one file may take, plus its size at 8 MiB/s, before the file gets an
   * ErrorMessage and the scan goes on without it (default 30 s).
   */
  public void setReadDeadline(Duration base) {
    hasher.setReadDeadline(base);
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
    ScanPass pass = newPass(creating, source, lanes.scans());
    if (!creating && letIn != null) {
      pass.letIn(letIn);
      scanning = pass;
    }
    try {
      return fullScan(pass, creating);
    } finally {
      scanning = null;
    }
  }

  private ScanResult fullScan(ScanPass pass, boolean creating) throws IOException {
    for (String root : rules.roots()) {
      pass.roots.add(root);
    }
    for (String root : rules.roots()) {
      String parent = HostPaths.parent(root);
      Path realParent = fs.toReal(parent);
      if (!root.equals("/") && Files.isDirectory(realParent)) {
        lister.listener().onDirectory(parent, realParent);
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
    supersede(dir, true);
    ScanPass pass = newPass(!baselineExists(), source);
    pass.pointCheck(dir);
    pass.flush();
    pass.stragglers(dir);
    pass.flush();
    return pass.result();
  }

  /** Reconciles single paths (a debounced realtime burst); directories are not walked. */
  public ScanResult reconcilePaths(Collection<String> paths, DetectionSource source)
      throws IOException {
    for (String p : paths) {
      supersede(p, false);
    }
    ScanPass pass = newPass(!baselineExists(), source);
    pass.walkDirs = false;
    for (String p : paths) {
      pass.pointCheck(p);
    }
    pass.flush();
    return pass.result();
  }

  /** {@link #reconcileRename(String, String, boolean, DetectionSource)}, no change before it. */
  public ScanResult reconcileRename(String from, String to, DetectionSource source)
      throws IOException {
    return reconcileRename(from, to, false, source);
  }

  /**
   * A rename seen by the watcher ({@code from} → {@code to}, paired by cookie). Reported as Renamed
   * when the baseline had {@code from}, {@code to} is monitored and new, and the file at {@code to}
   * is the one that was at {@code from} (same inode; what is at {@code from} now is another file,
   * compared when its own event is reconciled); an editor's rename onto a baselined file falls
   * through to a plain comparison (one Modified). A renamed file whose state differs from its
   * baseline entry is reported with a Modified too (see {@link ChangeDecider}).
   *
   * @param changedFirst the file changed before the rename (a change was waiting for its debounce):
   *     the Modified is of the old name, before the Renamed; else of the new name, after
   */
  public ScanResult reconcileRename(
      String from, String to, boolean changedFirst, DetectionSource source) throws IOException {
    supersede(from, true);
    supersede(to, true);
    ScanPass pass = newPass(!baselineExists(), source);
    FileState before = store.get(from);
    FileState toBefore = store.get(to);
    Path toReal = fs.toReal(to);
    FileState toNow = observer.stat(toReal);
    Selection toSel = rules.select(to);
    boolean renamed =
        !pass.creating
            && before != null
            && toBefore == null
            && toNow != null
            && toSel != null
            && toNow.type() == before.type()
            && sameFile(before, toNow, from);
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
    pass.add(
        Item.renamed(to, toReal, toSel, before, toNow, from, rules.select(from), changedFirst));
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
          pass.add(Item.renamed(now, real, sel, was, st, old, rules.select(old), changedFirst));
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

  /**
   * True when {@code now} is the file the baseline knew as {@code before}: the same inode (a file
   * made under the new name after the rename is not the renamed one); without a known inode, when
   * nothing is at {@code from} any more.
   */
  private boolean sameFile(FileState before, FileState now, String from) throws IOException {
    if (before.inode() != 0) {
      return before.inode() == now.inode();
    }
    return observer.stat(fs.toReal(from)) == null;
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

  /** Tells the full scan running now, if any, that realtime work reconciles {@code path}. */
  private void supersede(String path, boolean tree) {
    if (scanning != null) {
      scanning.supersede(path, tree);
    }
  }

  private ScanPass newPass(boolean creating, DetectionSource source) {
    return newPass(creating, source, lanes.realtime());
  }

  private ScanPass newPass(boolean creating, DetectionSource source, HashLane lane) {
    return new ScanPass(
        rules, fs, store, writer, events, observer, lister, hasher, lane, depthGaps, creating,
        source);
  }

  /**
   * Puts {@code config} in force without a scan (start-up with the config of the previous run, so
   * that its catch-up scan compares like with like).
   */
  public void useConfig(AgentConfig config) {
    rules.replace(config);
    fs.setRoots(rules.roots());
    lanes.use(config.scanBudget());
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
    ScanPass adding = newPass(!baselineExists(), DetectionSource.Scan, lanes.scans());
    adding.quietNew(p -> before.select(p) == null);
    adding.roots.addAll(rules.roots());
    for (String root : addedRoots) {
      String parent = HostPaths.parent(root);
      Path realParent = fs.toReal(parent);
      if (!root.equals("/") && Files.isDirectory(realParent)) {
        lister.listener().onDirectory(parent, realParent);
      }
      adding.pointCheck(root);
      adding.flush();
      adding.stragglers(root);
    }
    adding.flush();
    long baselined = adding.quietlyAdded();

    useConfig(next);
    long entriesBefore = store.entryCount();
    ScanPass dropping = newPass(!baselineExists(), DetectionSource.Scan, lanes.scans());
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
}
