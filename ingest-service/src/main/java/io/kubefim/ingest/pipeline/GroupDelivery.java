package io.kubefim.ingest.pipeline;

import io.kubefim.api.event.FimEvent;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Group delivery (group commit): the batches waiting when a lane becomes free go to the sinks
 * together, as one batch, up to {@code maxGroupEvents} events: one store transaction (one fsync),
 * one set of Azure uploads. Under load a slower sink makes the groups bigger instead of the queue
 * longer, so many small batches (an agent per node, each flushing a change) cost about what a few
 * large ones do.
 *
 * <p>Contract, per batch, unchanged by grouping: a batch is acked only after every sink took the
 * group holding it (so 202 still means durable in every sink), nacked otherwise. EventIds that
 * occur in two batches of one group (a retry racing its original) are delivered once. A group of
 * several batches that fails is delivered again batch by batch, so one batch the store cannot take
 * fails only its own request, not its neighbours'; unless the sink said when to come back (a
 * Retry-After: Azure throttling the whole service), then every batch is nacked with it at once.
 *
 * <p>Threading: {@code lanes} threads each deliver one group at a time; {@link #submit} may be
 * called from any thread. {@link #close} lets the groups in the sinks finish (bounded) and nacks
 * what is still waiting.
 */
public final class GroupDelivery implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(GroupDelivery.class);

  /** Where a group goes: every sink, as {@link SinkDispatcher#deliver}. */
  @FunctionalInterface
  public interface Delivery {
    void deliver(IngestBatch batch) throws SinkException;
  }

  private final LinkedBlockingDeque<Message<IngestBatch>> waiting = new LinkedBlockingDeque<>();
  private final Delivery delivery;
  private final int maxGroupEvents;
  private final List<Thread> lanes = new ArrayList<>();
  private final DistributionSummary groupBatches;
  private final DistributionSummary groupEvents;
  private volatile boolean closed;

  public GroupDelivery(
      Delivery delivery, int maxGroupEvents, int lanes, String threadName, MeterRegistry metrics) {
    if (maxGroupEvents < 1 || lanes < 1) {
      throw new IllegalArgumentException("maxGroupEvents and lanes must be at least 1");
    }
    this.delivery = delivery;
    this.maxGroupEvents = maxGroupEvents;
    Gauge.builder("kubefim.ingest.pipeline.waiting", waiting, LinkedBlockingDeque::size)
        .description("admitted batches waiting for a free sink lane")
        .register(metrics);
    this.groupBatches =
        DistributionSummary.builder("kubefim.ingest.pipeline.group.batches")
            .description("batches delivered together as one group")
            .register(metrics);
    this.groupEvents =
        DistributionSummary.builder("kubefim.ingest.pipeline.group.events")
            .description("events in one group")
            .register(metrics);
    for (int i = 1; i <= lanes; i++) {
      Thread t = new Thread(this::run, threadName + "-" + i);
      t.setDaemon(true);
      this.lanes.add(t);
      t.start();
    }
  }

  /** Queues a batch for the next free lane; its message is acked or nacked when delivered. */
  public void submit(Message<IngestBatch> message) {
    synchronized (waiting) {
      if (!closed) {
        waiting.addLast(message);
        return;
      }
    }
    message.nack(new SinkException("pipeline", "shutting down; retry", null, null));
  }

  private void run() {
    while (!closed) {
      List<Message<IngestBatch>> group;
      try {
        group = nextGroup();
      } catch (InterruptedException e) {
        break;
      }
      if (group != null) {
        deliver(group);
      }
    }
  }

  /** The first waiting batch and every one after it that fits; null after a quiet 0.5 s. */
  List<Message<IngestBatch>> nextGroup() throws InterruptedException {
    Message<IngestBatch> first = waiting.pollFirst(500, TimeUnit.MILLISECONDS);
    if (first == null) {
      return null;
    }
    List<Message<IngestBatch>> group = new ArrayList<>();
    group.add(first);
    int events = first.getPayload().events().size();
    while (events < maxGroupEvents) {
      Message<IngestBatch> next = waiting.pollFirst();
      if (next == null) {
        break;
      }
      int n = next.getPayload().events().size();
      if (events + n > maxGroupEvents) {
        waiting.addFirst(next); // it starts the next group
        break;
      }
      group.add(next);
      events += n;
    }
    return group;
  }

  private void deliver(List<Message<IngestBatch>> group) {
    IngestBatch merged = merge(group);
    groupBatches.record(group.size());
    groupEvents.record(merged.events().size());
    try {
      delivery.deliver(merged);
      group.forEach(Message::ack);
      return;
    } catch (Exception | Error e) { // whatever a sink throws, no request is left hanging
      if (group.size() == 1 || (e instanceof SinkException se && se.retryAfter().isPresent())) {
        group.forEach(m -> m.nack(e));
        return;
      }
      LOG.infof(
          "group=%s of %d batches failed (%s): delivering them one by one",
          merged.id(), group.size(), e.getMessage());
    }
    for (Message<IngestBatch> m : group) {
      try {
        delivery.deliver(m.getPayload());
        m.ack();
      } catch (Exception | Error e) {
        m.nack(e);
      }
    }
  }

  /** One batch of the group's events, each EventId once, in arrival order. */
  static IngestBatch merge(List<Message<IngestBatch>> group) {
    if (group.size() == 1) {
      return group.get(0).getPayload();
    }
    Map<String, FimEvent> events = new LinkedHashMap<>();
    for (Message<IngestBatch> m : group) {
      for (FimEvent e : m.getPayload().events()) {
        events.putIfAbsent(e.getEventId(), e);
      }
    }
    String id = group.get(0).getPayload().id() + "+" + (group.size() - 1);
    return new IngestBatch(id, new ArrayList<>(events.values()));
  }

  /**
   * Stops taking groups, waits up to {@code grace} for the groups in the sinks, then nacks what is
   * still waiting (the agents retry those batches). A group still in a sink after the grace is left
   * to finish: its requests are answered when it does.
   */
  public void close(java.time.Duration grace) {
    synchronized (waiting) {
      closed = true; // nothing is added after this
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (Thread t : lanes) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    // Lanes still in a sink are not interrupted: an interrupt closes H2's file channel under it.
    // They finish their group (acked or nacked) and stop; the idle ones stop within 0.5 s.
    Message<IngestBatch> m;
    while ((m = waiting.pollFirst()) != null) {
      m.nack(new SinkException("pipeline", "shutting down; retry", null, null));
    }
  }

  @Override
  public void close() {
    close(java.time.Duration.ofSeconds(10));
  }
}
