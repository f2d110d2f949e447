package io.kubefim.agent.remote;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with full jitter: the n-th delay in a row is uniform in [0, min(cap, base ·
 * 2^n)], so agents that lost the same service do not come back in step. Not thread-safe: one per
 * retrying loop.
 */
public final class Backoff {
  private final long baseMillis;
  private final long capMillis;
  private int attempt;

  public Backoff(long baseMillis, long capMillis) {
    this.baseMillis = baseMillis;
    this.capMillis = capMillis;
  }

  /** The next delay, and counts the attempt. */
  public long next() {
    long ceiling = ceiling(attempt);
    if (attempt < 62) {
      attempt++;
    }
    return ThreadLocalRandom.current().nextLong(ceiling + 1);
  }

  /** The upper bound of the n-th delay (0-based). */
  long ceiling(int n) {
    long c = baseMillis;
    for (int i = 0; i < n && c < capMillis; i++) {
      c *= 2;
    }
    return Math.min(c, capMillis);
  }

  /** After a success: the next failure starts from the base again. */
  public void reset() {
    attempt = 0;
  }

  /** Failures in a row so far. */
  public int attempts() {
    return attempt;
  }
}
