package io.kubefim.agent.registry;

import io.kubefim.agent.baseline.BaselineStore.RegistryRow;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Where {@link RegistryMonitor} keeps its snapshots: rows of (rule, key, data) and the events they
 * explain, in one transaction ({@link SqliteSnapshotStore}; a failing one in the crash tests).
 */
interface SnapshotStore {
  /** Rows of {@code rule}: full key path ("" for the rule's marker) → data. */
  Map<String, String> rows(String rule) throws IOException;

  /** The rules that have rows. */
  List<String> rules() throws IOException;

  /** A meta value of the state database, or null. */
  String meta(String key) throws IOException;

  /** Writes rows, events and meta values atomically: all or none. */
  void commit(List<RegistryRow> rows, List<FimEvent> events, Map<String, String> meta)
      throws IOException;
}
