package io.kubefim.agent.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The guard every long-lived agent worker runs under (engine, inotify reader, drainer, config
 * client, heartbeat, policy-dir poller): whatever escapes a worker's body, Errors included (a
 * StackOverflowError, an OutOfMemoryError), is logged and recorded under the worker's name, and
 * {@link AgentHealth} turns liveness and readiness DOWN with it: a worker that stopped means
 * detection or delivery stopped, and only a restart brings it back. A body that returns normally
 * (its component was closed) is not a failure.
 *
 * <p>Test seam: with the system property {@value #FAIL_PROPERTY} set to a worker's name, that
 * worker fails with a StackOverflowError as it starts (for tests on a real {@code run} process).
 * Unset in production. Thread-safe.
 */
public final class Workers {
  /** System property naming a worker that fails on purpose as it starts (tests only). */
  public static final String FAIL_PROPERTY = "kubefim.test.failWorker";

  private static final Logger LOG = Logger.getLogger(Workers.class.getName());
  private final Map<String, String> stopped = new LinkedHashMap<>();
  private final String failOnPurpose = System.getProperty(FAIL_PROPERTY);

  /**
   * Starts {@code body} on a new thread named {@code name}, under the guard.
   *
   * @param daemon whether the thread is a daemon thread
   */
  public Thread start(String name, boolean daemon, Runnable body) {
    Thread t = new Thread(guard(name, body), name);
    t.setDaemon(daemon);
    t.setUncaughtExceptionHandler((th, e) -> {}); // the guard logged and recorded it
    t.start();
    return t;
  }

  /**
   * {@code body} under the guard, for a worker that runs on an executor (a periodic task): a
   * failure is recorded and rethrown, so that a scheduled executor stops running it, as the worker
   * has stopped.
   */
  public Runnable guard(String name, Runnable body) {
    return () -> {
      try {
        if (name.equals(failOnPurpose)) {
          throw new StackOverflowError("injected by -D" + FAIL_PROPERTY + "=" + name);
        }
        body.run();
      } catch (Throwable t) {
        stopped(name, t);
        throw t;
      }
    };
  }

  /** Records that worker {@code name} stopped because of {@code why}. */
  public void stopped(String name, Throwable why) {
    String reason = reason(why);
    synchronized (this) {
      stopped.putIfAbsent(name, reason);
    }
    try {
      LOG.log(
          Level.SEVERE,
          "worker stopped, health is DOWN until the agent restarts worker="
              + name
              + " error="
              + why,
          why);
    } catch (Throwable ignored) {
      // logging itself failed (no stack left, no memory): the record above is what counts
    }
  }

  /** The workers that stopped (name → why), in the order they stopped; empty while all run. */
  public synchronized Map<String, String> stopped() {
    return Map.copyOf(stopped);
  }

  /**
   * The exception and where it was thrown: {@code java.lang.StackOverflowError at a.B.c(B.java:1)}.
   */
  static String reason(Throwable why) {
    StringBuilder b = new StringBuilder(why.toString());
    StackTraceElement[] stack = why.getStackTrace();
    if (stack.length > 0) {
      b.append(" at ").append(stack[0]);
    }
    return b.length() > 500 ? b.substring(0, 500) + "..." : b.toString();
  }
}
