package io.kubefim.agent.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.kubefim.agent.baseline.BaselineStore;
import io.kubefim.agent.baseline.BaselineStore.RegistryRow;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Registry snapshots in the agent's state database, table {@code registry_key}, written with their
 * outbox rows in one SQLite transaction (SPEC §5: in the baseline and in the outbox, or in
 * neither). Thread-safe as BaselineStore is.
 */
public final class SqliteSnapshotStore implements SnapshotStore {
  private static final ObjectWriter JSON = Json.mapper().writer();
  private final BaselineStore store;
  private final Consumer<List<FimEvent>> afterCommit;

  /**
   * @param afterCommit told about the events once they are durable (metrics, waking the drainer),
   *     as StoreChangeWriter's
   */
  public SqliteSnapshotStore(BaselineStore store, Consumer<List<FimEvent>> afterCommit) {
    this.store = store;
    this.afterCommit = afterCommit;
  }

  @Override
  public Map<String, String> rows(String rule) throws IOException {
    return store.registryRows(rule);
  }

  @Override
  public List<String> rules() throws IOException {
    return store.registryRules();
  }

  @Override
  public String meta(String key) throws IOException {
    return store.meta(key);
  }

  @Override
  public void commit(List<RegistryRow> rows, List<FimEvent> events, Map<String, String> meta)
      throws IOException {
    List<String[]> outbox = new ArrayList<>(events.size());
    for (FimEvent e : events) {
      try {
        outbox.add(new String[] {e.getEventId(), JSON.writeValueAsString(e)});
      } catch (JsonProcessingException x) {
        throw new IllegalStateException("event not serializable: " + e, x);
      }
    }
    store.commit(List.of(), outbox, meta, rows);
    if (!events.isEmpty()) {
      afterCommit.accept(events);
    }
  }
}
