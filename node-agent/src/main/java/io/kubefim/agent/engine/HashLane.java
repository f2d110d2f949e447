package io.kubefim.agent.engine;

import io.kubefim.agent.scan.ByteRate;
import io.kubefim.agent.scan.ReadBudget;
import io.kubefim.agent.scan.ThreadPriority;
import io.kubefim.api.config.ScanBudget;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a pass reads files on and what their reads spend (issue 18). Realtime passes read on
 * the agent's pool with no budget; full scans on a pool of their own, made for the node's {@link
 * ScanBudget}: {@code scanThreads} threads, each lowered to {@code scanNice} and {@code
 * scanIoClass} when it starts, their reads paced together to {@code scanRate}. So a scan, however
 * slow its budget makes it, never holds a thread that realtime work waits for.
 *
 * @param pool where reads run
 * @param budget what each read spends
 * @param minReadRate the slowest rate (bytes/s, per thread) at which a read is still progressing:
 *     below it a read counts as stalled (the budget's share per thread when that is lower than a
 *     file system's {@link BatchHasher#MIN_READ_RATE})
 */
record HashLane(ForkJoinPool pool, ReadBudget budget, long minReadRate) {
  /** The lane of realtime passes: {@code pool}, no budget. */
  static HashLane unbudgeted(ForkJoinPool pool) {
    return new HashLane(pool, ReadBudget.NONE, BatchHasher.MIN_READ_RATE);
  }

  /** A new pool and budget for {@code budget}; {@link #close} it when it is replaced. */
  static HashLane forScans(ScanBudget budget) {
    int threads =
        budget.threads() != null
            ? budget.threads()
            : Math.max(1, Runtime.getRuntime().availableProcessors());
    Integer nice = budget.nice();
    String io = budget.ioClass();
    AtomicInteger made = new AtomicInteger();
    ForkJoinPool pool =
        new ForkJoinPool(
            threads,
            p -> {
              var t =
                  new ForkJoinWorkerThread(p) {
                    @Override
                    protected void onStart() {
                      super.onStart();
                      ThreadPriority.lower(nice, io);
                    }
                  };
              t.setName("kubefim-scan-" + made.getAndIncrement());
              t.setDaemon(true);
              return t;
            },
            null,
            false);
    Long rate = budget.rateBytesPerSecond();
    if (rate == null) {
      return new HashLane(pool, ReadBudget.NONE, BatchHasher.MIN_READ_RATE);
    }
    return new HashLane(
        pool,
        new ByteRate(rate),
        Math.max(1, Math.min(BatchHasher.MIN_READ_RATE, rate / threads / 2)));
  }

  void close() {
    pool.shutdown();
  }
}
