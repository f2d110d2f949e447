package io.kubefim.agent.baseline;

import io.kubefim.agent.scan.FileState;

/**
 * One baseline mutation: put {@code state} at {@code path}, or delete it when state is null.
 *
 * @param path host path
 * @param state the new entry, null to delete
 * @param existed whether the baseline held the path before (keeps the entry count exact without a
 *     read per write)
 */
public record EntryWrite(String path, FileState state, boolean existed) {}
