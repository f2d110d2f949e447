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
 * @param unreviewed unexpected changes nobody marked reviewed yet, any time (not only the window)
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
    long expected,
    long unreviewed) {

  /**
   * Machines with unreviewed unexpected changes first, then those with unexpected changes in the
   * window (all reviewed), then the rest; by name within each (issue 17).
   */
  public static final java.util.Comparator<MachineRow> UNEXPECTED_FIRST =
      java.util.Comparator.comparing((MachineRow r) -> r.unreviewed() == 0)
          .thenComparing(r -> r.unexpected() == 0)
          .thenComparing(MachineRow::computer);

  public long changes() {
    return created + modified + renamed + deleted;
  }
}
