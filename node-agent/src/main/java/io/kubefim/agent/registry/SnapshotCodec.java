package io.kubefim.agent.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubefim.agent.baseline.BaselineStore.RegistryRow;
import io.kubefim.agent.registry.RegistrySnapshot.KeyState;
import io.kubefim.api.json.Json;
import io.kubefim.api.windows.RegistryPaths.Key;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * A snapshot as rows of table {@code registry_key} (format {@value #FORMAT}, meta {@code
 * registry_format}): one row per key, {@code key} its full path as spelled, {@code data} a JSON
 * array of {@code [name, type, sha256, rendered data]} per value; and the rule's marker row (key
 * "", data {@value #MARKER}), which says the rule was baselined even when none of its keys exist.
 * Only rendered data is stored: a secret's is its SHA-256 already.
 */
final class SnapshotCodec {
  static final int FORMAT = 1;
  static final String MARKER = "baselined";
  private static final ObjectMapper JSON = Json.mapper();
  private static final TypeReference<List<List<String>>> ROWS = new TypeReference<>() {};

  private SnapshotCodec() {}

  /** True when {@code rows} hold a baselined rule. */
  static boolean baselined(Map<String, String> rows) {
    return rows.containsKey("");
  }

  static RegistrySnapshot decode(Map<String, String> rows) throws IOException {
    NavigableMap<String, KeyState> keys = RegistrySnapshot.keyMap();
    for (Map.Entry<String, String> row : rows.entrySet()) {
      if (row.getKey().isEmpty()) {
        continue;
      }
      NavigableMap<String, ValueState> values = RegistrySnapshot.valueMap();
      for (List<String> v : JSON.readValue(row.getValue(), ROWS)) {
        values.put(v.get(0), new ValueState(v.get(0), v.get(1), v.get(2), v.get(3)));
      }
      keys.put(
          row.getKey(),
          new KeyState(split(row.getKey()), Collections.unmodifiableNavigableMap(values)));
    }
    return new RegistrySnapshot(keys, List.of());
  }

  /** The rows that turn the stored {@code before} into {@code after} (with the marker). */
  static List<RegistryRow> rows(String rule, RegistrySnapshot before, RegistrySnapshot after) {
    List<RegistryRow> out = new ArrayList<>();
    if (before == null) {
      out.add(new RegistryRow(rule, null, null)); // whatever an older run left
      out.add(new RegistryRow(rule, "", MARKER));
      before = RegistrySnapshot.empty();
    }
    for (KeyState k : after.keys().values()) {
      KeyState old = before.keys().get(k.key().full());
      if (old == null || !old.equals(k) || !old.key().full().equals(k.key().full())) {
        if (old != null && !old.key().full().equals(k.key().full())) {
          out.add(new RegistryRow(rule, old.key().full(), null)); // spelled differently now
        }
        out.add(new RegistryRow(rule, k.key().full(), encode(k)));
      }
    }
    for (KeyState k : before.keys().values()) {
      if (!after.keys().containsKey(k.key().full())) {
        out.add(new RegistryRow(rule, k.key().full(), null));
      }
    }
    return out;
  }

  static String encode(KeyState k) {
    List<List<String>> values = new ArrayList<>();
    for (ValueState v : k.values().values()) {
      values.add(List.of(v.name(), v.type(), v.digest(), v.data()));
    }
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("registry snapshot not serializable", e);
    }
  }

  private static Key split(String full) {
    int i = full.indexOf('\\');
    return i < 0 ? new Key(full, "") : new Key(full.substring(0, i), full.substring(i + 1));
  }
}
