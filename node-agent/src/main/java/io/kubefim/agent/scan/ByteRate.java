package io.kubefim.agent.scan;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A byte rate shared by the threads of a scan (the policy field scanRate, issue 18): each read is
 * paid for with the time it costs at the rate, and a thread that is ahead of the rate sleeps until
 * the budget catches up. Unused time is kept as credit for at most {@link #BURST_NANOS}, so a scan
 * that paused (a realtime burst, a slow directory) does not then read in a rush. Pure pacing: a
 * virtual clock {@code nextFree} (the moment all bytes paid so far are due) advanced under a lock;
 * the sleep is outside it. Thread-safe.
 */
public final class ByteRate implements ReadBudget {
  /** Credit an idle budget keeps: 50 ms of reading at the rate. */
  static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** How a thread waits; a test records the waits instead. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final long bytesPerSecond;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private long nextFree = Long.MIN_VALUE;

  public ByteRate(long bytesPerSecond) {
    this(bytesPerSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
  }

  ByteRate(long bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("a byte rate must be positive: " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  @Override
  public void spend(long bytes) throws InterruptedIOException {
    if (bytes <= 0) {
      return;
    }
    long cost = (long) (bytes * (1e9 / bytesPerSecond));
    long wait;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      long from = nextFree == Long.MIN_VALUE ? now - BURST_NANOS : nextFree;
      nextFree = Math.max(from, now - BURST_NANOS) + cost;
      wait = nextFree - now;
    }
    if (wait > 0) {
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while keeping to the scan rate");
      }
    }
  }
}
