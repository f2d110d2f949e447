package io.kubefim.agent.engine;

import io.kubefim.agent.baseline.EntryWrite;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Where the engine puts one batch of baseline mutations and their events: in one transaction
 * ({@link StoreChangeWriter}), or nowhere but a list ({@code check --no-update}).
 */
public interface ChangeWriter {
  /** Writes the batch atomically: all of it or none. Called from the engine thread only. */
  void write(List<EntryWrite> writes, List<FimEvent> events, Map<String, String> meta)
      throws IOException;
}
