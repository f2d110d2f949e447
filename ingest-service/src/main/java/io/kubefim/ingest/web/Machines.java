package io.kubefim.ingest.web;

import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import io.kubefim.ingest.store.SummaryRow;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Folds what the store answered into the rows of the machines page. Pure. */
final class Machines {
  private Machines() {}

  /**
   * @param counts window counts by Computer, MonitoredEntityType, ChangeType (any computers)
   * @param recent the machine's newest events, newest first (may be empty)
   * @param latestPolicyApplied its newest PolicyApplied event, if any
   * @param unreviewed its unexpected changes not yet reviewed, any time
   */
  static MachineRow row(
      String computer,
      String href,
      List<SummaryRow> counts,
      List<FimEvent> recent,
      Optional<FimEvent> latestPolicyApplied,
      long unreviewed) {
    Map<ChangeType, Long> byType = new EnumMap<>(ChangeType.class);
    long unexpected = 0;
    long expected = 0;
    for (SummaryRow r : counts) {
      if (r.computer().equals(computer)) {
        ChangeType type = ChangeType.valueOf(r.changeType());
        byType.merge(type, r.count(), Long::sum);
        if (!type.isAgentEvent()) { // a window's summary is labelled expected, but no change
          if (r.changeExpected()) {
            expected += r.count();
          } else {
            unexpected += r.count();
          }
        }
      }
    }
    Set<String> policies = new LinkedHashSet<>();
    for (FimEvent e : recent) {
      if (e.getPolicyNames() != null) {
        policies.addAll(e.getPolicyNames());
      }
    }
    if (policies.isEmpty()) {
      latestPolicyApplied
          .map(FimEvent::getDetails)
          .filter(d -> !d.isBlank())
          .ifPresent(policies::add);
    }
    String lastSeen = recent.isEmpty() ? "" : recent.get(0).getTimeGenerated().toString();
    return new MachineRow(
        computer,
        href,
        lastSeen,
        List.copyOf(policies),
        byType.getOrDefault(ChangeType.Created, 0L),
        byType.getOrDefault(ChangeType.Modified, 0L),
        byType.getOrDefault(ChangeType.Renamed, 0L),
        byType.getOrDefault(ChangeType.Deleted, 0L),
        byType.getOrDefault(ChangeType.CoverageGap, 0L),
        unexpected,
        expected,
        unreviewed);
  }

  /** One line of the summary table: count by Computer and MonitoredEntityType. */
  record TypeCount(String computer, String entityType, long count) {}

  static List<TypeCount> byEntityType(List<SummaryRow> counts) {
    Map<String, Map<String, Long>> m = new java.util.TreeMap<>();
    for (SummaryRow r : counts) {
      m.computeIfAbsent(r.computer(), k -> new java.util.TreeMap<>())
          .merge(r.monitoredEntityType(), r.count(), Long::sum);
    }
    return m.entrySet().stream()
        .flatMap(
            c ->
                c.getValue().entrySet().stream()
                    .map(t -> new TypeCount(c.getKey(), t.getKey(), t.getValue())))
        .toList();
  }
}
