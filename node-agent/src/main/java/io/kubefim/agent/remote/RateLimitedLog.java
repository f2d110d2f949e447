package io.kubefim.agent.remote;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs a recurring failure at most once per interval, with how many were held back, so a service
 * that is down for an hour gives a line a minute, not thousands. Thread-safe.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final long intervalMillis;
  private long last = Long.MIN_VALUE;
  private long suppressed;

  public RateLimitedLog(Logger log, long intervalMillis) {
    this.log = log;
    this.intervalMillis = intervalMillis;
  }

  /** Logs unless a line went out less than the interval ago. */
  public void log(Level level, String message, Object... params) {
    long held;
    synchronized (this) {
      long now = System.currentTimeMillis();
      if (last != Long.MIN_VALUE && now - last < intervalMillis) {
        suppressed++;
        return;
      }
      last = now;
      held = suppressed;
      suppressed = 0;
    }
    log.log(
        level, held == 0 ? message : message + " (" + held + " more since the last line)", params);
  }

  /** Forgets the last line: the next failure is logged at once (after a success). */
  public synchronized void reset() {
    last = Long.MIN_VALUE;
    suppressed = 0;
  }
}
