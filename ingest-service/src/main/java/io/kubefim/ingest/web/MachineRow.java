package io.kubefim.ingest.web;

import java.util.List;

/**
 * One line of the machines page.
 *
 * @param lastSeen TimeGenerated of its newest event, any time (RFC 3339)
 * @param policies policy names from its recent events, or its latest PolicyApplied Details
 * @param coverageGaps CoverageGap events in the window
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
    long coverageGaps) {

  public long changes() {
    return created + modified + renamed + deleted;
  }
}
