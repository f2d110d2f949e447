package io.kubefim.api.event;

/** MonitoredEntityType: a file change, a Windows registry change, or the agent's own health. */
public enum EntityType {
  File,
  Agent,
  Registry
}
