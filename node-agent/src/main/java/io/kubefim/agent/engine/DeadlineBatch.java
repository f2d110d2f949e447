package io.kubefim.agent.engine;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.ObjIntConsumer;
import java.util.function.ToLongFunction;

/**
 * Runs one blocking step per item (open and read a file) on a pool, each under a deadline, so that
 * a read that never returns (a stalled FUSE or network file system) costs that item an error and
 * not the scan. The waiter ({@link #await}) watches the deadlines; a worker whose item timed out is
 * left blocked (a read in the kernel cannot be cancelled) and a new thread takes its place, up to
 * {@link #MAX_REPLACEMENTS} a batch; past that the items not yet started are given up too.
 *
 * <p>Each item's outcome is applied exactly once, by whoever claims it first: the worker (its
 * {@link Work#run} result) or the waiter (the {@code onTimeout} callback). A worker that returns
 * after its item was given up applies nothing, so the item may be read by the caller as soon as
 * {@link #await} returns.
 *
 * @param <T> the item type
 */
final class DeadlineBatch<T> {
  /** Replacement threads one batch may start for workers stuck past a deadline. */
  static final int MAX_REPLACEMENTS = 8;

  /** How often {@link #await(Runnable)} runs its tick while it waits. */
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private static final int WAITING = 0;
  private static final int STARTED = 1;
  private static final int DONE = 2;

  /** The blocking step for one item; the returned action applies its outcome. */
  @FunctionalInterface
  interface Work<T> {
    Runnable run(T item) throws IOException;
  }

  private final List<T> items;
  private final Work<T> work;
  private final ObjIntConsumer<T> onTimeout;
  private final ToLongFunction<T> deadlineNanos;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicIntegerArray state;
  private final AtomicLongArray startedAt;
  private final CountDownLatch left;
  private int replacements;

  /**
   * Starts {@code workers} workers on {@code pool}.
   *
   * @param deadlineNanos how long the step for an item may take once started
   * @param onTimeout applies a timed-out outcome: (item, 0 = timed out, 1 = never started)
   */
  DeadlineBatch(
      List<T> items,
      Work<T> work,
      ToLongFunction<T> deadlineNanos,
      ObjIntConsumer<T> onTimeout,
      ExecutorService pool,
      int workers) {
    this.items = items;
    this.work = work;
    this.deadlineNanos = deadlineNanos;
    this.onTimeout = onTimeout;
    this.state = new AtomicIntegerArray(items.size());
    this.startedAt = new AtomicLongArray(items.size());
    this.left = new CountDownLatch(items.size());
    for (int i = 0; i < Math.min(workers, items.size()); i++) {
      pool.execute(this::drain);
    }
  }

  /** Takes items until none are left; a worker's loop. */
  private void drain() {
    for (int i = next.getAndIncrement(); i < items.size(); i = next.getAndIncrement()) {
      startedAt.set(i, System.nanoTime());
      if (!state.compareAndSet(i, WAITING, STARTED)) {
        continue; // given up before it started
      }
      T item = items.get(i);
      Runnable apply;
      try {
        apply = work.run(item);
      } catch (IOException | RuntimeException e) {
        apply = () -> {};
      }
      if (state.compareAndSet(i, STARTED, DONE)) {
        apply.run();
        left.countDown();
      }
    }
  }

  /**
   * Returns once every item has its outcome, giving up those past their deadline.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   */
  void await() throws InterruptedException {
    await(null);
  }

  /**
   * {@link #await()}, running {@code tick} (when not null) at least every {@link #TICK_NANOS} while
   * it waits: a scan lets realtime work in meanwhile (issue 18).
   */
  void await(Runnable tick) throws InterruptedException {
    long lastCount = left.getCount();
    long lastChange = System.nanoTime();
    while (!left.await(
        Math.max(1, tick == null ? nextCheckNanos() : Math.min(TICK_NANOS, nextCheckNanos())),
        TimeUnit.NANOSECONDS)) {
      if (tick != null) {
        tick.run();
      }
      long now = System.nanoTime();
      int stuck = 0;
      if (left.getCount() != lastCount || anyStarted()) {
        lastCount = left.getCount();
        lastChange = now;
      } else if (now - lastChange > deadlineNanos.applyAsLong(items.get(items.size() - 1))) {
        // nothing runs and nothing starts: the pool's threads are all stuck in earlier reads
        stuck = 1;
        lastChange = now;
      }
      for (int i = 0; i < items.size(); i++) {
        if (state.get(i) == STARTED
            && now - startedAt.get(i) > deadlineNanos.applyAsLong(items.get(i))
            && state.compareAndSet(i, STARTED, DONE)) {
          onTimeout.accept(items.get(i), 0);
          left.countDown();
          stuck++;
        }
      }
      for (int k = 0; k < stuck; k++) {
        if (replacements < MAX_REPLACEMENTS) {
          replacements++;
          Thread t = new Thread(this::drain, "kubefim-hash-replacement");
          t.setDaemon(true);
          t.start();
        } else {
          giveUpUnstarted();
        }
      }
    }
  }

  private boolean anyStarted() {
    for (int i = 0; i < items.size(); i++) {
      if (state.get(i) == STARTED) {
        return true;
      }
    }
    return false;
  }

  private void giveUpUnstarted() {
    for (int i = 0; i < items.size(); i++) {
      if (state.compareAndSet(i, WAITING, DONE)) {
        onTimeout.accept(items.get(i), 1);
        left.countDown();
      }
    }
  }

  /** Time until the earliest running item's deadline (a second when none runs). */
  private long nextCheckNanos() {
    long now = System.nanoTime();
    long wait = TimeUnit.SECONDS.toNanos(1);
    for (int i = 0; i < items.size(); i++) {
      if (state.get(i) == STARTED) {
        long due = startedAt.get(i) + deadlineNanos.applyAsLong(items.get(i)) - now;
        wait = Math.min(wait, due + 1);
      }
    }
    return wait;
  }
}
