package io.kubefim.ingest.pipeline;

import java.util.concurrent.Semaphore;

/**
 * The gate in front of the channel: at most {@code capacity} batches between "request admitted" and
 * "every sink answered". A request that finds no permit is refused at once (429), before its body
 * is read, so a flood costs a refused request each, never memory. Thread-safe.
 */
public final class Admission {
  private final Semaphore permits;
  private final int capacity;

  public Admission(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity < 1");
    }
    this.capacity = capacity;
    this.permits = new Semaphore(capacity);
  }

  /** Takes a permit if one is free; the caller must {@link #release} it exactly once. */
  public boolean tryEnter() {
    return permits.tryAcquire();
  }

  public void release() {
    permits.release();
  }

  /** Batches in flight now. */
  public int inFlight() {
    return capacity - permits.availablePermits();
  }

  public int capacity() {
    return capacity;
  }
}
