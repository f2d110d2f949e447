package io.kubefim.agent.watch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Debounce per path: what the watcher saw, held until the path has been quiet for its debounce
 * (capped, so a file written without pause is still reported). Pure bookkeeping with an explicit
 * clock, so it is table-testable. Thread-safe: the watcher thread adds, the engine thread takes.
 */
public final class RealtimeQueue {
  /**
   * A path (or a subtree, or a rename) due for reconciliation.
   *
   * @param failed paths whose events the watcher could not handle (path → why): their subtrees must
   *     be rescanned at once, with a CoverageGap
   */
  public record Work(
      List<String[]> renames,
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

  private final ToLongFunction<String> debounceOf;
  private final Map<String, Item> paths = new LinkedHashMap<>();
  private final Map<String, Item> subtrees = new LinkedHashMap<>();
  private final Map<String[], Item> renames = new LinkedHashMap<>();
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
  }

  public synchronized void touchSubtree(String dir, long nowMillis) {
    bump(subtrees, dir, nowMillis, debounceOf.applyAsLong(dir));
  }

  public synchronized void rename(String from, String to, long nowMillis) {
    Item it = new Item(nowMillis);
    it.due = nowMillis + debounceOf.applyAsLong(to);
    renames.put(new String[] {from, to}, it);
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

  private void bump(Map<String, Item> map, String key, long now, long debounce) {
    Item it = map.computeIfAbsent(key, k -> new Item(now));
    long cap = it.first + Math.max(1000, 10 * debounce);
    it.due = Math.min(now + debounce, cap);
    notifyAll();
  }

  /**
   * Takes the work due at {@code nowMillis}. A rename is held back while either of its paths still
   * has pending writes, and taken together with them.
   */
  public synchronized Work take(long nowMillis) {
    List<String[]> rn = new ArrayList<>();
    List<String> st = new ArrayList<>();
    List<String> ps = new ArrayList<>();
    boolean all = rescanAll;
    rescanAll = false;
    var ri = renames.entrySet().iterator();
    while (ri.hasNext()) {
      var e = ri.next();
      if (e.getValue().due <= nowMillis) {
        rn.add(e.getKey());
        ri.remove();
      }
    }
    drain(subtrees, st, nowMillis);
    drain(paths, ps, nowMillis);
    Map<String, String> fl = new LinkedHashMap<>(failed);
    failed.clear();
    return new Work(rn, st, ps, all, fl);
  }

  private static void drain(Map<String, Item> map, List<String> out, long now) {
    var it = map.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      if (e.getValue().due <= now) {
        out.add(e.getKey());
        it.remove();
      }
    }
  }

  /** Waits until work may be due or {@code maxWaitMillis} passed, whichever first. */
  public synchronized void await(long nowMillis, long maxWaitMillis) throws InterruptedException {
    if (rescanAll || !failed.isEmpty()) {
      return;
    }
    long next = nowMillis + maxWaitMillis;
    for (Item it : paths.values()) {
      next = Math.min(next, it.due);
    }
    for (Item it : subtrees.values()) {
      next = Math.min(next, it.due);
    }
    for (Item it : renames.values()) {
      next = Math.min(next, it.due);
    }
    long wait = next - nowMillis;
    if (wait > 0) {
      wait(wait);
    }
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
