package io.kubefim.api.event;

/**
 * What happened (SPEC §4): four File changes, five Agent events, five Registry changes (MDC's
 * names), then Agent events added later ({@code MaintenanceWindowClosed}, issue 17). New values go
 * at the end; the predicates below say which group each one is in.
 */
public enum ChangeType {
  Created,
  Modified,
  Renamed,
  Deleted,
  BaselineCreated,
  PolicyApplied,
  CoverageGap,
  RescanCompleted,
  AgentStarted,
  RegistryKeyCreated,
  RegistryKeyDeleted,
  RegistryKeyRenamed,
  RegistryValueSet,
  RegistryValueDeleted,
  /** A maintenance window ended: one Agent event with what changed inside it (issue 17). */
  MaintenanceWindowClosed;

  /** True for the changes a File event carries. */
  public boolean isFileChange() {
    return ordinal() <= Deleted.ordinal();
  }

  /** True for the changes a Registry event carries. */
  public boolean isRegistryChange() {
    return ordinal() >= RegistryKeyCreated.ordinal() && ordinal() <= RegistryValueDeleted.ordinal();
  }

  /** True for the agent's own events. */
  public boolean isAgentEvent() {
    return !isFileChange() && !isRegistryChange();
  }
}
