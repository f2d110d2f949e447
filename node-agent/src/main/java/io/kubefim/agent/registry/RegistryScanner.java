package io.kubefim.agent.registry;

import io.kubefim.agent.baseline.BaselineStore.RegistryRow;
import io.kubefim.agent.engine.EventFactory;
import io.kubefim.agent.registry.RegistryDiff.Change;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The comparisons of {@link RegistryMonitor}: read the rules' keys, diff with the committed
 * snapshot, and write rows and events in one transaction. A rule's snapshot moves on only after its
 * commit succeeded, so a failed commit reports the change again. Monitor thread only.
 */
final class RegistryScanner {
  private static final Logger LOG = Logger.getLogger(RegistryScanner.class.getName());
  private final SnapshotStore store;
  private final EventFactory events;

  RegistryScanner(SnapshotStore store, EventFactory events) {
    this.store = store;
    this.events = events;
  }

  /**
   * Baseline (no {@value RegistryMonitor#META_BASELINE_CREATED} yet: one BaselineCreated) or
   * catch-up (changes while down, {@code Scan}; a rule without stored rows is baselined silently),
   * in one transaction; rows of rules no longer configured go in it too. Watches are placed first.
   */
  void firstScan(Collection<RuleWatch> rules, long now) throws IOException {
    long started = System.nanoTime();
    boolean creating = store.meta(RegistryMonitor.META_BASELINE_CREATED) == null;
    Set<String> stale = new HashSet<>(store.rules());
    List<RegistryRow> rows = new ArrayList<>();
    List<FimEvent> out = new ArrayList<>();
    Map<RuleWatch, RegistrySnapshot> read = new LinkedHashMap<>();
    int keys = 0;
    int values = 0;
    for (RuleWatch w : rules) {
      stale.remove(w.rule.id);
      w.rewatch();
      Map<String, String> stored = store.rows(w.rule.id);
      RegistrySnapshot before =
          !creating && SnapshotCodec.baselined(stored) ? SnapshotCodec.decode(stored) : null;
      RegistrySnapshot snapshot = w.read(before == null ? RegistrySnapshot.empty() : before);
      if (before != null) {
        out.addAll(events(RegistryDiff.diff(before, snapshot), w, DetectionSource.Scan));
      }
      rows.addAll(SnapshotCodec.rows(w.rule.id, before, snapshot));
      read.put(w, snapshot);
      keys += snapshot.keys().size();
      values += snapshot.valueCount();
    }
    for (String gone : stale) {
      rows.add(new RegistryRow(gone, null, null));
    }
    Map<String, String> meta = Map.of();
    if (creating) {
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      String details =
          "registry baseline of " + keys + " keys and " + values + " values in " + ms + " ms";
      out.add(events.agent(ChangeType.BaselineCreated, details, null));
      meta = Map.of(RegistryMonitor.META_BASELINE_CREATED, Instant.now().toString());
    }
    store.commit(rows, out, meta);
    committed(read, now);
    LOG.log(
        Level.INFO,
        "registry {0} rules={1} keys={2} values={3} events={4}",
        new Object[] {creating ? "baseline" : "catch-up", rules.size(), keys, values, out.size()});
  }

  /** Reads one rule again and records what changed with {@code source}. */
  void compare(RuleWatch w, DetectionSource source) throws IOException {
    w.rewatch(); // first: a change made while reading is then noticed again
    RegistrySnapshot now = w.read(w.snapshot);
    List<RegistryRow> rows = SnapshotCodec.rows(w.rule.id, w.snapshot, now);
    if (!rows.isEmpty()) {
      store.commit(rows, events(RegistryDiff.diff(w.snapshot, now), w, source), Map.of());
    }
    w.committed(now);
  }

  /**
   * A config change: the rules of {@code wanted} not in {@code current} baselined silently (no
   * event: a key that just became monitored is not Created), the rows of those gone deleted, in one
   * transaction. Every wanted rule is watched first; the caller drops the old watches after.
   */
  void rebaseline(Map<String, RuleWatch> current, Map<String, RuleWatch> wanted, long now)
      throws IOException {
    List<RegistryRow> rows = new ArrayList<>();
    Map<RuleWatch, RegistrySnapshot> read = new LinkedHashMap<>();
    for (RuleWatch w : wanted.values()) {
      w.rewatch();
      if (!current.containsKey(w.rule.id)) {
        RegistrySnapshot snapshot = w.read(RegistrySnapshot.empty());
        rows.addAll(SnapshotCodec.rows(w.rule.id, null, snapshot));
        read.put(w, snapshot);
      }
    }
    for (String id : current.keySet()) {
      if (!wanted.containsKey(id)) {
        rows.add(new RegistryRow(id, null, null));
      }
    }
    store.commit(rows, List.of(), Map.of());
    committed(read, now);
  }

  /** Snapshots just committed by a (re)baseline: compared with from now on, scans scheduled. */
  private static void committed(Map<RuleWatch, RegistrySnapshot> read, long now) {
    read.forEach(
        (w, s) -> {
          w.committed(s);
          w.scheduleScan(now);
        });
  }

  private List<FimEvent> events(List<Change> changes, RuleWatch w, DetectionSource source) {
    List<FimEvent> out = new ArrayList<>(changes.size());
    for (Change c : changes) {
      out.add(RegistryEvents.event(events, c, w.rule.rule, source));
    }
    return out;
  }
}
