package io.kubefim.api.event;

/** For a Modified event: which attribute changed. */
public enum FieldChanged {
  Content,
  Size,
  Permissions,
  Owner,
  Group,
  SymlinkTarget,
  Type
}
