package io.kubefim.agent.ship;

import io.kubefim.agent.baseline.BaselineStore;
import io.kubefim.agent.baseline.OutboxRecord;
import java.io.IOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves events from the outbox to the {@link Sink}: oldest first, in batches, deleting rows only
 * after the sink confirmed them. {@link #drainAll} runs on the caller's thread ({@code check});
 * {@link #start} runs a daemon thread woken by {@link #wake} and every second.
 */
public final class OutboxDrainer {
  private static final Logger LOG = Logger.getLogger(OutboxDrainer.class.getName());
  private static final int BATCH = 500;
  private final BaselineStore store;
  private final Sink sink;
  private final Object signal = new Object();
  private volatile boolean running;
  private Thread thread;
  private boolean woken;

  public OutboxDrainer(BaselineStore store, Sink sink) {
    this.store = store;
    this.sink = sink;
  }

  /**
   * Sends everything in the outbox now.
   *
   * @return events sent
   */
  public long drainAll() throws IOException {
    long sent = 0;
    while (true) {
      List<OutboxRecord> batch = store.peekOutbox(BATCH);
      if (batch.isEmpty()) {
        return sent;
      }
      sink.send(batch);
      store.ackOutbox(batch.get(batch.size() - 1).seq());
      sent += batch.size();
    }
  }

  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  public synchronized void start() {
    running = true;
    thread = new Thread(this::loop, "kubefim-drainer");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    long backoff = 1000;
    while (running) {
      try {
        drainAll();
        backoff = 1000;
        synchronized (signal) {
          if (!woken && running) {
            signal.wait(1000);
          }
          woken = false;
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "sink failed, retrying error={0}", e.toString());
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  /** Stops the thread after a last drain attempt. */
  public synchronized void stop() {
    running = false;
    wake();
    if (thread != null) {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      drainAll();
    } catch (IOException e) {
      LOG.log(
          Level.WARNING, "final drain failed, events stay in the outbox error={0}", e.toString());
    }
  }
}
