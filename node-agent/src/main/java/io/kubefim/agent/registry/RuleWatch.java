package io.kubefim.agent.registry;

import io.kubefim.api.windows.RegistryPaths.Key;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One registry rule in {@link RegistryMonitor}: its committed snapshot, its watch and when it is
 * due. The snapshot, the watch and {@link #nextScan} belong to the monitor thread; the realtime due
 * time is guarded by the monitor's lock (watches set it from their threads).
 */
final class RuleWatch {
  static final long NONE = Long.MAX_VALUE;
  private static final Logger LOG = Logger.getLogger(RuleWatch.class.getName());
  private final Registry registry;
  private final Consumer<RuleWatch> onChange;

  /** Replaced when a config changes policies, tags or timings of the same selection. */
  volatile RegistryRule rule;

  /** The last committed state of the rule's keys. */
  RegistrySnapshot snapshot = RegistrySnapshot.empty();

  /** When the periodic scan is due (System.nanoTime scale), NONE without one. */
  long nextScan = NONE;

  private long due = NONE;
  private long latest = NONE;
  private Registry.Watch watch;
  private Key watchKey;
  private boolean watchSubtree;

  RuleWatch(Registry registry, RegistryRule rule, Consumer<RuleWatch> onChange) {
    this.registry = registry;
    this.rule = rule;
    this.onChange = onChange;
  }

  /** What the rule covers now; a key that cannot be read keeps its state in {@code previous}. */
  RegistrySnapshot read(RegistrySnapshot previous) {
    RegistrySnapshot s = RegistrySnapshot.read(registry, rule, previous);
    if (!s.errors().isEmpty()) {
      LOG.log(
          Level.WARNING,
          "registry keys unreadable, their last state kept path={0} errors={1}",
          new Object[] {rule.rule.path(), s.errors()});
    }
    return s;
  }

  /** The snapshot is committed: it is the state to compare with from now on. */
  void committed(RegistrySnapshot s) {
    snapshot = s;
  }

  void scheduleScan(long now) {
    long interval = rule.rule.scanIntervalSeconds();
    nextScan = interval > 0 ? now + TimeUnit.SECONDS.toNanos(interval) : NONE;
  }

  /** Under the lock: due at {@code at} (a later notice moves it), but not after {@code cap}. */
  void notifyAt(long at, long cap) {
    if (due == NONE) {
      latest = cap;
    }
    due = Math.min(at, latest);
  }

  /** Under the lock: the realtime due time, NONE when not notified. */
  long due() {
    return due;
  }

  /** Under the lock: true (and no longer due) when notified and quiet by {@code now}. */
  boolean takeIfDue(long now) {
    if (due > now) {
      return false;
    }
    due = NONE;
    latest = NONE;
    return true;
  }

  /**
   * Places the rule's watch where it belongs now (realtime rules only): on the key (subtree when
   * recursive), on the parent of a glob's matches (subtree), or, while that key does not exist, on
   * its nearest existing ancestor (not subtree: its subkeys appearing is what matters). A new watch
   * is placed before the old one is closed. A watch that cannot be placed is logged; the periodic
   * scan still covers the rule, and the next comparison tries again.
   */
  void rewatch() {
    if (!rule.rule.realtime()) {
      unwatch();
      return;
    }
    Key target = rule.base;
    boolean subtree = rule.lastName != null || rule.rule.recursive();
    while (!target.path().isEmpty() && !registry.exists(target)) {
      int i = target.path().lastIndexOf('\\');
      target = new Key(target.hive(), i < 0 ? "" : target.path().substring(0, i));
      subtree = false;
    }
    if (watch != null && watch.alive() && target.equals(watchKey) && subtree == watchSubtree) {
      return;
    }
    Registry.Watch old = watch;
    try {
      watch = registry.watch(target, subtree, () -> onChange.accept(this));
      watchKey = target;
      watchSubtree = subtree;
    } catch (IOException e) {
      watch = null;
      LOG.log(
          Level.WARNING,
          "registry watch not placed, periodic scans only path={0} error={1}",
          new Object[] {target.full(), e.toString()});
    }
    if (old != null) {
      old.close();
    }
  }

  void unwatch() {
    if (watch != null) {
      watch.close();
      watch = null;
    }
  }
}
