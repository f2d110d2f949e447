package io.kubefim.agent.registry;

import io.kubefim.agent.registry.RegistrySnapshot.KeyState;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.windows.RegistryPaths.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeSet;

/**
 * What changed between two snapshots of one rule: a pure function, in key path order.
 *
 * <ul>
 *   <li>A new key: {@code RegistryKeyCreated}, then one {@code RegistryValueSet} per value it has
 *       (the data is what an intruder put there).
 *   <li>A key gone: {@code RegistryKeyDeleted} for it and for every key below it that the snapshot
 *       had, parents first, one event per key, and no value events: each key of the baseline is
 *       accounted for (a query for one key finds its deletion), and the values went with their key.
 *   <li>A value new or changed (type or data): {@code RegistryValueSet} with old (when there was
 *       one) and new name, type and data; a value gone: {@code RegistryValueDeleted}.
 * </ul>
 *
 * Names compare without case: a value written again under another spelling is no change.
 */
public final class RegistryDiff {
  private RegistryDiff() {}

  /**
   * One change.
   *
   * @param type a registry ChangeType
   * @param key the key it happened in
   * @param before the value before (ValueSet of an existing value, ValueDeleted), else null
   * @param after the value now (ValueSet), else null
   */
  public record Change(ChangeType type, Key key, ValueState before, ValueState after) {}

  public static List<Change> diff(RegistrySnapshot before, RegistrySnapshot after) {
    TreeSet<String> paths = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    paths.addAll(before.keys().keySet());
    paths.addAll(after.keys().keySet());
    List<Change> out = new ArrayList<>();
    for (String path : paths) {
      KeyState was = before.keys().get(path);
      KeyState now = after.keys().get(path);
      if (was == null) {
        out.add(new Change(ChangeType.RegistryKeyCreated, now.key(), null, null));
        for (ValueState v : now.values().values()) {
          out.add(new Change(ChangeType.RegistryValueSet, now.key(), null, v));
        }
      } else if (now == null) {
        out.add(new Change(ChangeType.RegistryKeyDeleted, was.key(), null, null));
      } else {
        values(now.key(), was.values(), now.values(), out);
      }
    }
    return out;
  }

  private static void values(
      Key key,
      NavigableMap<String, ValueState> was,
      NavigableMap<String, ValueState> now,
      List<Change> out) {
    TreeSet<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    names.addAll(was.keySet());
    names.addAll(now.keySet());
    for (String name : names) {
      ValueState b = was.get(name);
      ValueState a = now.get(name);
      if (b == null) {
        out.add(new Change(ChangeType.RegistryValueSet, key, null, a));
      } else if (a == null) {
        out.add(new Change(ChangeType.RegistryValueDeleted, key, b, null));
      } else if (b.differs(a)) {
        out.add(new Change(ChangeType.RegistryValueSet, key, b, a));
      }
    }
  }

  /** Counts by change type, for logs and Details. */
  public static Map<ChangeType, Long> counts(List<Change> changes) {
    return changes.stream()
        .collect(
            java.util.stream.Collectors.groupingBy(
                Change::type, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
  }
}
