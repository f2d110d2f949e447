package io.kubefim.agent.engine;

import io.kubefim.api.config.ScanBudget;
import java.util.concurrent.ForkJoinPool;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine's two {@link HashLane}s (issue 18): realtime passes read on the agent's pool with no
 * budget; full scans on a pool of their own made for the node's {@link ScanBudget}, made anew when
 * the budget changes. Engine thread only.
 */
final class ScanLanes {
  // the engine's logger: logging configuration by name keeps working
  private static final Logger LOG = Logger.getLogger(ScanEngine.class.getName());

  private final HashLane realtime;
  private HashLane scans;
  private ScanBudget budget;

  ScanLanes(ForkJoinPool pool, ScanBudget budget) {
    this.realtime = HashLane.unbudgeted(pool);
    use(budget);
  }

  HashLane realtime() {
    return realtime;
  }

  HashLane scans() {
    return scans;
  }

  ScanBudget budget() {
    return budget;
  }

  /** Puts {@code next} in force for the next scan: a new scan pool when it differs. */
  void use(ScanBudget next) {
    if (next.equals(budget)) {
      return;
    }
    HashLane old = scans;
    scans = HashLane.forScans(next);
    budget = next;
    if (old != null || !next.isNone()) {
      LOG.log(
          Level.INFO,
          "scan budget rate={0} threads={1} nice={2} ioClass={3}",
          new Object[] {
            next.rateBytesPerSecond() == null ? "unlimited" : next.rateBytesPerSecond() + " B/s",
            scans.pool().getParallelism(),
            next.nice() == null ? "unchanged" : next.nice(),
            next.ioClass() == null ? "unchanged" : next.ioClass()
          });
    }
    if (old != null) {
      old.close();
    }
  }

  /** Stops the scan threads (the realtime pool is its owner's). */
  void close() {
    scans.close();
  }
}
