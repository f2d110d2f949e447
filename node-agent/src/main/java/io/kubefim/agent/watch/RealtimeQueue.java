package io.kubefim.agent.watch;

import io.kubefim.api.glob.HostPaths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * Debounce per path: what the watcher saw, held until the path has been quiet for its debounce
 * (capped, so a file written without pause is still reported). Pure bookkeeping with an explicit
 * clock, so it is table-testable. Thread-safe: the watcher thread adds, the engine thread takes.
 *
 * <p>Renames and the writes around them: a rename and the pending work at or below either of its
 * paths (and any other pending rename touching those paths) form one group, taken together when
 * every member is due, or when the group's first rename reached its cap. Within a {@link Work} the
 * renames come first, so a change waiting for its debounce is compared after the rename moved its
 * baseline entry (never as a deletion of the old name). A rename of the new name of a pending
 * rename ({@code mv f g; mv g h}) extends it ({@code f → h}); a rename back to the first name
 * ({@code mv f g; mv g f}) is no rename, only a check of the path.
 */
public final class RealtimeQueue {
  /**
   * A rename to reconcile.
   *
   * @param changedFirst a change of the file (or of something below a directory) was waiting for
   *     its debounce when it was renamed: it happened under the old name
   */
  public record Rename(String from, String to, boolean changedFirst) {}

  /**
   * A path (or a subtree, or a rename) due for reconciliation.
   *
   * @param renames in the order they happened; to reconcile before the subtrees and paths
   * @param failed paths whose events the watcher could not handle (path → why): their subtrees must
   *     be rescanned at once, with a CoverageGap
   */
  public record Work(
      List<Rename> renames,
      List<String> subtrees,
      List<String> paths,
      boolean rescanAll,
      Map<String, String> failed) {
    public boolean isEmpty() {
      return renames.isEmpty()
          && subtrees.isEmpty()
          && paths.isEmpty()
          && !rescanAll
          && failed.isEmpty();
    }
  }

  private static final class Item {
    final long first;
    long due;

    Item(long first) {
      this.first = first;
    }
  }

  private static final class PendingRename {
    final String from;
    String to;
    boolean changedFirst;
    final long cap;
    long due;

    PendingRename(String from, String to, boolean changedFirst, long cap, long due) {
      this.from = from;
      this.to = to;
      this.changedFirst = changedFirst;
      this.cap = cap;
      this.due = due;
    }
  }

  private final ToLongFunction<String> debounceOf;
  private final Map<String, Item> paths = new LinkedHashMap<>();
  private final Map<String, Item> subtrees = new LinkedHashMap<>();
  // the keys of paths and subtrees, sorted: what is pending at or below a path, in log time
  private final TreeSet<String> pathKeys = new TreeSet<>();
  private final TreeSet<String> subtreeKeys = new TreeSet<>();
  private final List<PendingRename> renames = new ArrayList<>();
  private final Map<String, String> failed = new LinkedHashMap<>();
  private boolean rescanAll;

  /**
   * @param debounceOf the debounce in ms for a path (its rules')
   */
  public RealtimeQueue(ToLongFunction<String> debounceOf) {
    this.debounceOf = debounceOf;
  }

  public synchronized void touch(String path, long nowMillis) {
    bump(paths, path, nowMillis, debounceOf.applyAsLong(path));
    pathKeys.add(path);
  }

  public synchronized void touchSubtree(String dir, long nowMillis) {
    bump(subtrees, dir, nowMillis, debounceOf.applyAsLong(dir));
    subtreeKeys.add(dir);
  }

  /**
   * A rename inside the watched set. A pending rename whose new name is {@code from} is extended
   * instead ({@code f → g} then {@code g → h} is {@code f → h}; back to its first name it is
   * dropped and the path checked), and pending renames into a directory that is renamed now get
   * their new names below {@code to}.
   */
  public synchronized void rename(String from, String to, long nowMillis) {
    long debounce = debounceOf.applyAsLong(to);
    boolean changedFirst = pendingAtOrBelow(from);
    PendingRename chained = null;
    for (int i = renames.size() - 1; i >= 0; i--) {
      if (renames.get(i).to.equals(from)) {
        chained = renames.get(i); // the latest: its file is the one at from now
        break;
      }
    }
    for (PendingRename r : renames) {
      if (!r.to.equals(from) && HostPaths.isUnder(r.to, from)) {
        r.to = to + r.to.substring(from.length());
      }
    }
    if (chained == null) {
      renames.add(
          new PendingRename(
              from, to, changedFirst, nowMillis + cap(debounce), nowMillis + debounce));
      notifyAll();
      return;
    }
    // the intermediate name is compared too: an entry a rename-over replaced there is Deleted
    touch(from, nowMillis);
    if (chained.from.equals(to)) {
      renames.remove(chained); // there and back: no rename, the file is compared where it is
      touch(to, nowMillis);
      return;
    }
    chained.to = to;
    chained.changedFirst |= changedFirst;
    chained.due = Math.min(nowMillis + debounce, chained.cap);
    notifyAll();
  }

  /**
   * The watcher failed to handle an event for {@code path} (its change may be lost): its subtree
   * must be rescanned now, with a CoverageGap. Not debounced.
   */
  public synchronized void failed(String path, String why) {
    failed.putIfAbsent(path, why);
    notifyAll();
  }

  /** Everything must be rescanned now (events were lost). */
  public synchronized void rescanAll() {
    rescanAll = true;
    notifyAll();
  }

  private static long cap(long debounce) {
    return Math.max(1000, 10 * debounce);
  }

  private void bump(Map<String, Item> map, String key, long now, long debounce) {
    Item it = map.computeIfAbsent(key, k -> new Item(now));
    it.due = Math.min(now + debounce, it.first + cap(debounce));
    notifyAll();
  }

  private boolean pendingAtOrBelow(String path) {
    return !atOrBelow(pathKeys, path).isEmpty() || !atOrBelow(subtreeKeys, path).isEmpty();
  }

  /** The keys of {@code keys} that are {@code path} or below it. */
  private static List<String> atOrBelow(TreeSet<String> keys, String path) {
    if (path.equals("/")) {
      return new ArrayList<>(keys);
    }
    List<String> out = new ArrayList<>();
    if (keys.contains(path)) {
      out.add(path);
    }
    // every string that starts with path + "/" sorts in [path + "/", path + "0"): '0' follows '/'
    NavigableSet<String> below = keys.subSet(path + "/", true, path + "0", false);
    out.addAll(below);
    return out;
  }

  /**
   * When each piece of pending work may be taken: a rename, the paths and subtrees at or below
   * either of its paths, and the renames that share such paths form a group, due when all of its
   * members are (or when the cap of one of its renames is reached).
   */
  private final class Schedule {
    final int[] group;
    final long[] due; // by group root
    final Map<String, Integer> pathGroup = new HashMap<>();
    final Map<String, Integer> subtreeGroup = new HashMap<>();

    Schedule() {
      int n = renames.size();
      group = new int[n];
      for (int i = 0; i < n; i++) {
        group[i] = i;
      }
      Map<String, Integer> owner = new HashMap<>();
      for (int i = 0; i < n; i++) {
        PendingRename r = renames.get(i);
        for (String p : new String[] {r.from, r.to}) {
          Integer j = owner.putIfAbsent(p, i);
          if (j != null) {
            union(i, j);
          }
        }
      }
      for (int i = 0; i < n; i++) {
        PendingRename r = renames.get(i);
        for (String p : new String[] {r.from, r.to}) {
          for (String a = p; !a.equals("/"); ) {
            a = HostPaths.parent(a);
            Integer j = owner.get(a);
            if (j != null) {
              union(i, j);
            }
          }
        }
      }
      long[] latest = new long[n];
      long[] cap = new long[n];
      Arrays.fill(cap, Long.MAX_VALUE);
      for (int i = 0; i < n; i++) {
        PendingRename r = renames.get(i);
        int g = find(i);
        latest[g] = Math.max(latest[g], r.due);
        cap[g] = Math.min(cap[g], r.cap);
      }
      for (int i = 0; i < n; i++) {
        PendingRename r = renames.get(i);
        for (String p : new String[] {r.from, r.to}) {
          int g = find(i);
          for (String k : atOrBelow(pathKeys, p)) {
            pathGroup.put(k, g);
            latest[g] = Math.max(latest[g], paths.get(k).due);
          }
          for (String k : atOrBelow(subtreeKeys, p)) {
            subtreeGroup.put(k, g);
            latest[g] = Math.max(latest[g], subtrees.get(k).due);
          }
        }
      }
      due = new long[n];
      for (int i = 0; i < n; i++) {
        due[i] = Math.min(latest[i], cap[i]);
      }
    }

    private int find(int i) {
      while (group[i] != i) {
        group[i] = group[group[i]];
        i = group[i];
      }
      return i;
    }

    private void union(int a, int b) {
      int ra = find(a);
      int rb = find(b);
      if (ra != rb) {
        group[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }

    long renameDue(int i) {
      return due[find(i)];
    }

    long pathDue(String key, Item it) {
      Integer g = pathGroup.get(key);
      return g == null ? it.due : due[find(g)];
    }

    long subtreeDue(String key, Item it) {
      Integer g = subtreeGroup.get(key);
      return g == null ? it.due : due[find(g)];
    }
  }

  /**
   * Takes the work due at {@code nowMillis}. A rename is held back while pending work at or below
   * either of its paths is not due yet, and taken together with it (see the class comment).
   */
  public synchronized Work take(long nowMillis) {
    Schedule s = new Schedule();
    List<Rename> rn = new ArrayList<>();
    List<String> st = new ArrayList<>();
    List<String> ps = new ArrayList<>();
    boolean all = rescanAll;
    rescanAll = false;
    List<PendingRename> kept = new ArrayList<>();
    for (int i = 0; i < renames.size(); i++) {
      PendingRename r = renames.get(i);
      if (s.renameDue(i) <= nowMillis) {
        rn.add(new Rename(r.from, r.to, r.changedFirst));
      } else {
        kept.add(r);
      }
    }
    renames.clear();
    renames.addAll(kept);
    var si = subtrees.entrySet().iterator();
    while (si.hasNext()) {
      var e = si.next();
      if (s.subtreeDue(e.getKey(), e.getValue()) <= nowMillis) {
        st.add(e.getKey());
        subtreeKeys.remove(e.getKey());
        si.remove();
      }
    }
    var pi = paths.entrySet().iterator();
    while (pi.hasNext()) {
      var e = pi.next();
      if (s.pathDue(e.getKey(), e.getValue()) <= nowMillis) {
        ps.add(e.getKey());
        pathKeys.remove(e.getKey());
        pi.remove();
      }
    }
    Map<String, String> fl = new LinkedHashMap<>(failed);
    failed.clear();
    return new Work(rn, st, ps, all, fl);
  }

  /**
   * True when paths, subtrees, renames or watcher failures are due at {@code nowMillis} (an
   * overflow's rescan of everything is not counted: a full scan that asks is already one).
   */
  public synchronized boolean due(long nowMillis) {
    return !failed.isEmpty() || nextDue(nowMillis, 1) <= nowMillis;
  }

  /** Waits until work may be due or {@code maxWaitMillis} passed, whichever first. */
  public synchronized void await(long nowMillis, long maxWaitMillis) throws InterruptedException {
    if (rescanAll || !failed.isEmpty()) {
      return;
    }
    long wait = nextDue(nowMillis, maxWaitMillis) - nowMillis;
    if (wait > 0) {
      wait(wait);
    }
  }

  /**
   * When the next work may be taken (work held with a rename counts when its group is due), at the
   * latest {@code nowMillis + maxWaitMillis}.
   */
  synchronized long nextDue(long nowMillis, long maxWaitMillis) {
    Schedule s = new Schedule();
    long next = nowMillis + maxWaitMillis;
    for (var e : paths.entrySet()) {
      next = Math.min(next, s.pathDue(e.getKey(), e.getValue()));
    }
    for (var e : subtrees.entrySet()) {
      next = Math.min(next, s.subtreeDue(e.getKey(), e.getValue()));
    }
    for (int i = 0; i < renames.size(); i++) {
      next = Math.min(next, s.renameDue(i));
    }
    return next;
  }

  /** Wakes a thread in {@link #await}. */
  public synchronized void wake() {
    notifyAll();
  }

  /** Paths waiting. */
  public synchronized int size() {
    return paths.size() + subtrees.size() + renames.size() + failed.size();
  }
}
