package io.kubefim.agent.ship;

import io.kubefim.agent.baseline.BaselineStore;
import io.kubefim.agent.baseline.OutboxRecord;
import io.kubefim.agent.health.Workers;
import io.kubefim.agent.remote.Backoff;
import io.kubefim.agent.remote.RateLimitedLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves events from the outbox to the {@link Sink}: oldest first, in batches of at most {@link
 * Limits#maxEvents} events and {@link Limits#maxBytes} bytes of JSON (at least one event), deleting
 * rows only after the sink confirmed them. {@link #drainAll} runs on the caller's thread ({@code
 * check}); {@link #start} runs a daemon thread woken by {@link #wake} and every second.
 *
 * <p>Failure strategy of the thread: a {@link RetryLaterException} waits the delay the sink names
 * and sends the same batch again; a {@link BatchTooLargeException} halves the batch (down to one
 * event; a single event still refused is kept, see {@link EventTooLargeException}); any other
 * failure (including that one) backs off exponentially with full jitter ({@link
 * Limits#backoffBaseMillis} up to {@link Limits#backoffCapMillis}). The events stay in the outbox
 * through all of it; failures are logged at most once a minute.
 */
public final class OutboxDrainer {
  private static final Logger LOG = Logger.getLogger(OutboxDrainer.class.getName());

  /**
   * Batch and retry settings.
   *
   * @param maxEvents events per batch
   * @param maxBytes JSON bytes per batch (before gzip)
   * @param backoffBaseMillis first back-off delay
   * @param backoffCapMillis longest back-off delay
   */
  public record Limits(
      int maxEvents, long maxBytes, long backoffBaseMillis, long backoffCapMillis) {
    /** 500 events or 1 MB; back-off from 1 s to 60 s. */
    public static final Limits DEFAULT = new Limits(500, 1_000_000, 1000, 60_000);
  }

  private final BaselineStore store;
  private final Sink sink;
  private final Limits limits;
  private final Backoff backoff;
  private final RateLimitedLog failures = new RateLimitedLog(LOG, 60_000);
  private final Object signal = new Object();
  private volatile boolean running;
  private Thread thread;
  private boolean woken;
  private int batchEvents;

  public OutboxDrainer(BaselineStore store, Sink sink) {
    this(store, sink, Limits.DEFAULT);
  }

  public OutboxDrainer(BaselineStore store, Sink sink, Limits limits) {
    this.store = store;
    this.sink = sink;
    this.limits = limits;
    this.backoff = new Backoff(limits.backoffBaseMillis(), limits.backoffCapMillis());
    this.batchEvents = limits.maxEvents();
  }

  /**
   * Sends everything in the outbox now; the first failure is thrown (nothing is retried here).
   *
   * @return events sent
   */
  public long drainAll() throws IOException {
    long sent = 0;
    while (true) {
      List<OutboxRecord> batch = nextBatch();
      if (batch.isEmpty()) {
        return sent;
      }
      try {
        sink.send(batch);
      } catch (BatchTooLargeException e) {
        batchEvents = Math.max(1, batch.size() / 2);
        LOG.log(
            Level.INFO,
            "batch refused as too large, halving events={0} next={1} error={2}",
            new Object[] {batch.size(), batchEvents, e.getMessage()});
        continue;
      }
      store.ackOutbox(batch.get(batch.size() - 1).seq());
      batchEvents = limits.maxEvents();
      sent += batch.size();
    }
  }

  /** The oldest events, cut to the current event limit and to the byte limit. */
  private List<OutboxRecord> nextBatch() throws IOException {
    List<OutboxRecord> rows = store.peekOutbox(batchEvents);
    long bytes = 0;
    for (int i = 0; i < rows.size(); i++) {
      bytes += rows.get(i).json().getBytes(StandardCharsets.UTF_8).length + 1;
      if (bytes > limits.maxBytes() && i > 0) {
        return rows.subList(0, i);
      }
    }
    return rows;
  }

  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  public void start() {
    start(new Workers());
  }

  /** Starts the thread ({@code kubefim-drainer}) under {@code workers}' guard. */
  public synchronized void start(Workers workers) {
    running = true;
    thread = workers.start("kubefim-drainer", true, this::loop);
  }

  private void loop() {
    while (running) {
      try {
        drainAll();
        backoff.reset();
        failures.reset();
        synchronized (signal) {
          if (!woken && running) {
            signal.wait(1000);
          }
          woken = false;
        }
      } catch (InterruptedException e) {
        return;
      } catch (RetryLaterException e) {
        failures.log(
            Level.WARNING,
            "sink busy, retrying the same batch delay={0}ms outbox={1} error={2}",
            e.delayMillis(),
            store.outboxDepth(),
            e.getMessage());
        if (!pause(e.delayMillis())) {
          return;
        }
      } catch (IOException | RuntimeException e) {
        long delay = backoff.next();
        failures.log(
            Level.WARNING,
            "sink failed, events kept, retrying delay={0}ms attempt={1} outbox={2} error={3}",
            delay,
            backoff.attempts(),
            store.outboxDepth(),
            e.toString());
        if (!pause(delay)) {
          return;
        }
      }
    }
  }

  /** Sleeps unless stopped; {@link #wake} does not cut a back-off short. */
  private boolean pause(long millis) {
    long end = System.currentTimeMillis() + millis;
    synchronized (signal) {
      while (running) {
        long left = end - System.currentTimeMillis();
        if (left <= 0) {
          return true;
        }
        try {
          signal.wait(left);
        } catch (InterruptedException e) {
          return false;
        }
      }
    }
    return false;
  }

  /** Stops the thread; then one last drain attempt when the sink wants it (local output). */
  public void stop() {
    Thread t;
    synchronized (this) {
      running = false;
      t = thread;
    }
    wake();
    if (t != null) {
      try {
        t.join(5000);
        if (t.isAlive()) {
          t.interrupt(); // a request in flight: the events stay in the outbox
          t.join(2000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!sink.drainOnStop()) {
      return;
    }
    try {
      drainAll();
    } catch (IOException e) {
      LOG.log(
          Level.WARNING, "final drain failed, events stay in the outbox error={0}", e.toString());
    }
  }
}
