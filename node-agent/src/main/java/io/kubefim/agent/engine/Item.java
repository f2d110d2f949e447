package io.kubefim.agent.engine;

import io.kubefim.agent.config.Selection;
import io.kubefim.agent.scan.FileState;
import io.kubefim.api.event.FileType;
import io.kubefim.api.policy.Attribute;
import java.nio.file.Path;

/**
 * One path to compare; {@code renamedFrom} set for a rename.
 *
 * <p>Threading: made and decided on the engine thread; {@code after} and {@code error} are set by
 * the outcome of its read, applied once by {@link DeadlineBatch} before its {@code await} returns.
 */
final class Item {
  final String path;
  final Path real;
  final Selection sel;
  final FileState before;
  FileState after;
  final String renamedFrom;
  // for a rename: the old path's selection, and whether the file changed before it was renamed
  Selection fromSel;
  boolean changedFirst;
  String error;

  Item(String path, Path real, Selection sel, FileState before, FileState after, String from) {
    this.path = path;
    this.real = real;
    this.sel = sel;
    this.before = before;
    this.after = after;
    this.renamedFrom = from;
  }

  /**
   * A rename of {@code from} to {@code path}: {@code before} is the old path's baseline entry.
   *
   * @param changedFirst the file changed before it was renamed (the change is reported under the
   *     old name, before the Renamed); else after (under the new name, after the Renamed)
   */
  static Item renamed(
      String path,
      Path real,
      Selection sel,
      FileState before,
      FileState after,
      String from,
      Selection fromSel,
      boolean changedFirst) {
    Item it = new Item(path, real, sel, before, after, from);
    it.fromSel = fromSel;
    it.changedFirst = changedFirst;
    return it;
  }

  boolean needsHash() {
    return sel != null
        && after != null
        && after.type() == FileType.File
        && sel.attributes().contains(Attribute.CONTENT);
  }
}
