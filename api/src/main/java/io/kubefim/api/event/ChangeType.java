package io.kubefim.api.event;

/** What happened (SPEC §4). The first four are File changes, the rest Agent events. */
public enum ChangeType {
  Created,
  Modified,
  Renamed,
  Deleted,
  BaselineCreated,
  PolicyApplied,
  CoverageGap,
  RescanCompleted,
  AgentStarted;

  /** True for the changes a File event carries. */
  public boolean isFileChange() {
    return ordinal() <= Deleted.ordinal();
  }
}
