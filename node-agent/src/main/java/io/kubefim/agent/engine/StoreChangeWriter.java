package io.kubefim.agent.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.kubefim.agent.baseline.BaselineStore;
import io.kubefim.agent.baseline.EntryWrite;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Writes baseline changes and their events to the outbox in one SQLite transaction. */
public final class StoreChangeWriter implements ChangeWriter {
  private static final ObjectWriter JSON = Json.mapper().writer();
  private final BaselineStore store;
  private final Consumer<List<FimEvent>> afterCommit;

  /**
   * @param afterCommit told about the events once they are durable (metrics, waking the drainer)
   */
  public StoreChangeWriter(BaselineStore store, Consumer<List<FimEvent>> afterCommit) {
    this.store = store;
    this.afterCommit = afterCommit;
  }

  @Override
  public void write(List<EntryWrite> writes, List<FimEvent> events, Map<String, String> meta)
      throws IOException {
    List<String[]> rows = new ArrayList<>(events.size());
    for (FimEvent e : events) {
      rows.add(new String[] {e.getEventId(), toJson(e)});
    }
    store.commit(writes, rows, meta);
    if (!events.isEmpty()) {
      afterCommit.accept(events);
    }
  }

  static String toJson(FimEvent e) {
    try {
      return JSON.writeValueAsString(e);
    } catch (JsonProcessingException x) {
      throw new IllegalStateException("event not serializable: " + e, x);
    }
  }
}
