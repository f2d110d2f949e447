package io.kubefim.agent.diff;

import io.kubefim.agent.scan.FileState;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FieldChanged;
import io.kubefim.api.event.FileType;
import io.kubefim.api.policy.Attribute;
import io.kubefim.api.policy.HashAlgorithm;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Change detection as a pure function of (baseline entry, observed entry, the rule's attributes):
 * no I/O, no clock. A change of mtime, ctime or inode alone is not a change (SPEC §5).
 */
public final class Differ {
  private Differ() {}

  /**
   * The change from {@code before} to {@code after}, or null when none counts.
   *
   * @param before the baseline entry, null when the path was not baselined
   * @param after what is there now, null when it is gone; digests filled in where they were
   *     computed
   * @param attributes what the rule counts as a change
   * @param hashes the digests compared for content
   */
  public static Change diff(
      FileState before, FileState after, Set<Attribute> attributes, Set<HashAlgorithm> hashes) {
    if (before == null && after == null) {
      return null;
    }
    if (before == null) {
      return Change.CREATED;
    }
    if (after == null) {
      return Change.DELETED;
    }
    List<FieldChanged> fields = new ArrayList<>(2);
    if (before.type() != after.type()) {
      fields.add(FieldChanged.Type);
    }
    boolean file = before.type() == FileType.File && after.type() == FileType.File;
    if (file && attributes.contains(Attribute.CONTENT) && contentDiffers(before, after, hashes)) {
      fields.add(FieldChanged.Content);
    }
    if (file && attributes.contains(Attribute.SIZE) && before.size() != after.size()) {
      fields.add(FieldChanged.Size);
    }
    if (attributes.contains(Attribute.PERMISSIONS) && before.mode() != after.mode()) {
      fields.add(FieldChanged.Permissions);
    }
    if (attributes.contains(Attribute.OWNER) && before.uid() != after.uid()) {
      fields.add(FieldChanged.Owner);
    }
    if (attributes.contains(Attribute.GROUP) && before.gid() != after.gid()) {
      fields.add(FieldChanged.Group);
    }
    if (attributes.contains(Attribute.SYMLINK_TARGET)
        && !Objects.equals(before.symlinkTarget(), after.symlinkTarget())) {
      fields.add(FieldChanged.SymlinkTarget);
    }
    return fields.isEmpty() ? null : new Change(ChangeType.Modified, List.copyOf(fields));
  }

  /**
   * Content differs when a digest both sides have differs: the whole-file digests, or for a file
   * over maxFileSize on both sides the digest of its sampled blocks. Digests {@code before} kept
   * while the file was unreadable ({@link FileState#stale}) count as its last known content; stale
   * digests {@code after} (unreadable now) are no knowledge of the content now. When nothing can be
   * compared, a size change is reported as Content too, since the bytes certainly changed.
   */
  private static boolean contentDiffers(
      FileState before, FileState after, Set<HashAlgorithm> hashes) {
    boolean compared = false;
    if (!after.stale()) {
      for (HashAlgorithm a : hashes) {
        String b = before.hash(a);
        String n = after.hash(a);
        if (b != null && n != null) {
          compared = true;
          if (!b.equals(n)) {
            return true;
          }
        }
      }
      if (before.sampled() != null && after.sampled() != null) {
        compared = true;
        if (!before.sampled().equals(after.sampled())) {
          return true;
        }
      }
    }
    return !compared && before.size() != after.size();
  }
}
