package io.kubefim.agent.diff;

import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FieldChanged;
import java.util.List;

/**
 * What {@link Differ} found: a change type and, for Modified, the fields.
 *
 * @param type Created, Modified or Deleted
 * @param fields for Modified: what changed, in a fixed order; empty otherwise
 */
public record Change(ChangeType type, List<FieldChanged> fields) {
  public static final Change CREATED = new Change(ChangeType.Created, List.of());
  public static final Change DELETED = new Change(ChangeType.Deleted, List.of());
}
