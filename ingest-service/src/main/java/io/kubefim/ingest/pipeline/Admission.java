package io.kubefim.ingest.pipeline;

import java.util.concurrent.Semaphore;

/**
 * The gate in front of the channel, with two limits on what sits between "request admitted" and
 * "every sink answered":
 *
 * <ul>
 *   <li>batches: at most {@code capacity}. A request that finds no permit is refused at once (429),
 *       before its body is read, so a flood costs a refused request each, never memory;
 *   <li>bytes: at most {@code maxBytes} of request bodies (after gunzip), charged as the body is
 *       read ({@link #tryCharge}); a body that does not fit is refused (429) when the budget runs
 *       out, so memory stays bounded by the bytes, whatever the batch size. Many small batches can
 *       then be in flight at once, which group delivery turns into few large writes, while a flood
 *       of 4 MB batches still holds as little memory as before.
 * </ul>
 *
 * Thread-safe.
 */
public final class Admission {
  /** Bytes are counted in units of this many, so a semaphore's int permits cover any budget. */
  static final int UNIT = 1024;

  private final Semaphore permits;
  private final Semaphore units;
  private final int capacity;

  public Admission(int capacity) {
    this(capacity, Long.MAX_VALUE / 2);
  }

  public Admission(int capacity, long maxBytes) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity < 1");
    }
    if (maxBytes < UNIT) {
      throw new IllegalArgumentException("maxBytes < " + UNIT);
    }
    this.capacity = capacity;
    this.permits = new Semaphore(capacity);
    this.units = new Semaphore((int) Math.min(Integer.MAX_VALUE, maxBytes / UNIT));
  }

  /** Takes a permit if one is free; the caller must {@link #release} it exactly once. */
  public boolean tryEnter() {
    return permits.tryAcquire();
  }

  public void release() {
    permits.release();
  }

  /**
   * Takes {@code units} more units of the byte budget if they are free (see {@link #unitsFor}); the
   * caller gives them back with {@link #refund} exactly once.
   */
  boolean tryCharge(int units) {
    return units <= 0 || this.units.tryAcquire(units);
  }

  void refund(int units) {
    if (units > 0) {
      this.units.release(units);
    }
  }

  /** The units that cover {@code bytes} bytes (rounded up). */
  static int unitsFor(long bytes) {
    return (int) Math.min(Integer.MAX_VALUE, (bytes + UNIT - 1) / UNIT);
  }

  /** Batches in flight now. */
  public int inFlight() {
    return capacity - permits.availablePermits();
  }

  public int capacity() {
    return capacity;
  }
}
