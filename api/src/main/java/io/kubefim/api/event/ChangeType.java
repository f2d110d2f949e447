package io.kubefim.api.event;

/**
 * What happened (SPEC §4): four File changes, five Agent events, five Registry changes (MDC's
 * names). New values go at the end: the ordinal groups them.
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
  RegistryValueDeleted;

  /** True for the changes a File event carries. */
  public boolean isFileChange() {
    return ordinal() <= Deleted.ordinal();
  }

  /** True for the changes a Registry event carries. */
  public boolean isRegistryChange() {
    return ordinal() >= RegistryKeyCreated.ordinal();
  }

  /** True for the agent's own events. */
  public boolean isAgentEvent() {
    return !isFileChange() && !isRegistryChange();
  }
}
