package io.kubefim.agent.daemon;

import io.kubefim.agent.engine.ScanEngine;
import io.kubefim.agent.engine.ScanEngine.ScanResult;
import io.kubefim.agent.watch.RealtimeQueue;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine thread's handling of realtime work taken off the {@link RealtimeQueue}: once taken,
 * nothing may be lost. An item that fails (an exception reconciling it, or an event the watcher
 * could not handle) has its subtree rescanned at once with a CoverageGap ({@value
 * #REALTIME_FAILED}) and a RescanCompleted, while the other items are still reconciled. Engine
 * thread only.
 */
final class RealtimeReconciler {
  /** ErrorMessage of the CoverageGap for a subtree whose realtime handling failed. */
  static final String REALTIME_FAILED = "REALTIME_FAILED";

  private static final Logger LOG = Logger.getLogger(RealtimeReconciler.class.getName());
  private final ScanEngine engine;
  private final FailedRealtimeWork failedWork = new FailedRealtimeWork();

  RealtimeReconciler(ScanEngine engine) {
    this.engine = engine;
  }

  /**
   * Reconciles the realtime work taken off the queue. A failure loses nothing: the failing item's
   * paths are rescanned as subtrees with a CoverageGap ({@link #rescanFailed}), and the other items
   * are still reconciled (a batch of paths that fails is retried path by path, to find the one).
   */
  void apply(RealtimeQueue.Work w) {
    for (Map.Entry<String, String> f : w.failed().entrySet()) {
      rescanLater(f.getKey(), "the watcher could not handle its event: " + f.getValue());
    }
    for (RealtimeQueue.Rename rn : w.renames()) {
      try {
        engine.reconcileRename(rn.from(), rn.to(), rn.changedFirst(), DetectionSource.Realtime);
      } catch (IOException | RuntimeException e) {
        rescanLater(rn.from(), e.toString());
        rescanLater(rn.to(), e.toString());
      }
    }
    for (String dir : w.subtrees()) {
      try {
        engine.reconcileSubtree(dir, DetectionSource.Realtime);
      } catch (IOException | RuntimeException e) {
        rescanLater(dir, e.toString());
      }
    }
    if (w.paths().isEmpty()) {
      return;
    }
    try {
      engine.reconcilePaths(w.paths(), DetectionSource.Realtime);
    } catch (IOException | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "realtime batch failed, reconciling its paths one by one paths={0} error={1}",
          new Object[] {w.paths().size(), e.toString()});
      for (String p : w.paths()) {
        try {
          engine.reconcilePaths(List.of(p), DetectionSource.Realtime);
        } catch (IOException | RuntimeException e2) {
          rescanLater(p, e2.toString());
        }
      }
    }
  }

  /** Realtime handling of a path failed: its subtree is rescanned at once (engine thread). */
  private void rescanLater(String path, String why) {
    LOG.log(
        Level.WARNING,
        "realtime handling failed, rescanning the subtree path={0} error={1}",
        new Object[] {path, why});
    failedWork.add(path, why);
  }

  /**
   * Rescans the subtrees whose realtime handling failed: one CoverageGap ({@code REALTIME_FAILED}),
   * the rescan, one RescanCompleted, as for an overflow but for that subtree only. A rescan that
   * fails too is retried with back-off ({@link FailedRealtimeWork}), without holding up other work;
   * the gap stays reported meanwhile, and scheduled scans cover the subtree anyway.
   */
  void rescanFailed(long now) {
    var ev = engine.events();
    for (FailedRealtimeWork.Due f : failedWork.due(now)) {
      String path = f.path();
      try {
        if (!f.reported()) {
          engine.emit(
              ev.agent(
                      ChangeType.CoverageGap,
                      "realtime handling of " + path + " failed: " + f.why() + "; rescanning it",
                      REALTIME_FAILED)
                  .setFilePath(path));
          failedWork.reported(path);
        }
        ScanResult r = engine.reconcileSubtree(path, DetectionSource.Scan);
        engine.emit(
            ev.agent(
                    ChangeType.RescanCompleted,
                    "rescan of "
                        + path
                        + " after a realtime failure: "
                        + r.entriesSeen()
                        + " entries, "
                        + r.events()
                        + " changes",
                    null)
                .setFilePath(path));
        failedWork.done(path);
      } catch (IOException | RuntimeException x) {
        int attempts = failedWork.retryLater(path, now);
        LOG.log(
            Level.WARNING,
            "rescan after a realtime failure failed, retrying path={0} attempt={1} error={2}",
            new Object[] {path, attempts, x.toString()});
      }
    }
  }
}
