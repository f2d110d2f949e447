package io.kubefim.ingest.web;

import java.util.List;

/**
 * One line of the machines page.
 *
 * @param lastSeen TimeGenerated of its newest event, any time (RFC 3339)
 * @param policies policy names from its recent events, or its latest PolicyApplied Details
 * @param coverageGaps CoverageGap events in the window
 * @param unexpected File and Registry changes in the window not labelled ChangeExpected
 * @param expected File and Registry changes in the window labelled ChangeExpected (issue 17)
 */
public record MachineRow(
    String computer,
    String href,
    String lastSeen,
    List<String> policies,
    long created,
    long modified,
    long renamed,
    long deleted,
    long coverageGaps,
    long unexpected,
    long expected) {

  /** Machines with unexpected changes first, then by name (issue 17). */
  public static final java.util.Comparator<MachineRow> UNEXPECTED_FIRST =
      java.util.Comparator.comparing((MachineRow r) -> r.unexpected() == 0)
          .thenComparing(MachineRow::computer);

  public long changes() {
    return created + modified + renamed + deleted;
  }
}
