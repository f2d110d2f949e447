package io.kubefim.agent.registry;

import io.kubefim.agent.baseline.BaselineStore;
import io.kubefim.agent.baseline.OutboxRecord;
import io.kubefim.agent.engine.EventFactory;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A registry monitor on the fake registry and a real state database, with a hand-moved clock. */
final class RegistryHarness implements AutoCloseable {
  final Path state;
  final InMemoryRegistry reg = new InMemoryRegistry();
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final List<String> rawEvents = new ArrayList<>();
  BaselineStore store;
  SnapshotStore snapshots;
  RegistryMonitor monitor;

  /** When set, the next commit fails inside its transaction (after the registry rows). */
  boolean crashNextCommit;

  RegistryHarness(Path state) throws IOException {
    this.state = state;
    open();
  }

  @SuppressWarnings("unchecked")
  private void open() throws IOException {
    store = BaselineStore.open(state);
    SqliteSnapshotStore real = new SqliteSnapshotStore(store, e -> {});
    // the real store, but for a commit that fails inside its transaction when asked to: an outbox
    // row SQLite refuses (event_id NOT NULL) after the registry rows are written, so the
    // transaction rolls back as a crash would leave it
    snapshots =
        (SnapshotStore)
            Proxy.newProxyInstance(
                SnapshotStore.class.getClassLoader(),
                new Class<?>[] {SnapshotStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("commit") && crashNextCommit) {
                    crashNextCommit = false;
                    List<FimEvent> poisoned = new ArrayList<>((List<FimEvent>) args[1]);
                    poisoned.add(new FimEvent());
                    args = new Object[] {args[0], poisoned, args[2]};
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
  }

  RegistryMonitor monitor(AgentConfig config) {
    monitor =
        new RegistryMonitor(
            reg,
            snapshots,
            new EventFactory("akswin000001", Clock.systemUTC()),
            config,
            nanos::get);
    return monitor;
  }

  void advanceMillis(long ms) {
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
  }

  /** Takes every event in the outbox (and keeps their JSON in {@link #rawEvents}). */
  List<FimEvent> drain() throws IOException {
    List<FimEvent> out = new ArrayList<>();
    for (OutboxRecord r : store.peekOutbox(100_000)) {
      rawEvents.add(r.json());
      out.add(Json.mapper().readValue(r.json(), FimEvent.class));
      store.ackOutbox(r.seq());
    }
    return out;
  }

  /** The agent stops (no commit in flight) and starts again on the same state directory. */
  void restart() throws IOException {
    if (monitor != null) {
      monitor.close();
    }
    store.close();
    open();
  }

  @Override
  public void close() throws IOException {
    if (monitor != null) {
      monitor.close();
    }
    store.close();
  }
}
