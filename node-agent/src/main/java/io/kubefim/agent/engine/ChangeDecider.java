package io.kubefim.agent.engine;

import io.kubefim.agent.baseline.EntryWrite;
import io.kubefim.agent.diff.Change;
import io.kubefim.agent.diff.Differ;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FimEvent;
import java.util.List;
import java.util.function.Predicate;

/**
 * Decides, for one pass, what a compared (and hashed) item writes to the baseline and which event
 * it records: no I/O, a function of the item and the pass's settings.
 *
 * <p>Threading: the engine thread only.
 */
final class ChangeDecider {
  private final EventFactory events;
  private final boolean creating;
  private final DetectionSource source;
  // paths for which a new entry is recorded without an event (hot reload: newly monitored)
  private Predicate<String> quietNew = p -> false;
  private long quietlyAdded;

  /**
   * @param creating true when the pass creates the baseline: entries are written, no file events
   * @param source the DetectionSource of the events
   */
  ChangeDecider(EventFactory events, boolean creating, DetectionSource source) {
    this.events = events;
    this.creating = creating;
    this.source = source;
  }

  /** New entries of paths {@code quiet} accepts are recorded without an event. */
  void quietNew(Predicate<String> quiet) {
    this.quietNew = quiet;
  }

  /** New entries recorded without an event so far. */
  long quietlyAdded() {
    return quietlyAdded;
  }

  /**
   * The events of a rename. A file renamed as it was is one Renamed. A file that also changed (SPEC
   * §5: the change is reported too) is two events, each as for a change alone, so that
   * FieldsChanged stays on Modified only and a reader folding events onto a baseline ends with the
   * file's state: changed before the rename, Modified of the old name (under its rules) then a
   * Renamed of the file as it is now; changed after it (or not monitored under the old name), a
   * Renamed of the file as it was then a Modified of the new name.
   */
  private void renamed(Item it, List<FimEvent> out) {
    if (it.changedFirst && it.fromSel != null) {
      Change c = Differ.diff(it.before, it.after, it.fromSel.attributes(), it.fromSel.hashes());
      if (c != null) {
        out.add(
            events.file(
                c.type(),
                it.renamedFrom,
                null,
                c.fields(),
                it.before,
                it.after,
                it.fromSel,
                source,
                it.error));
        out.add(
            events.file(
                ChangeType.Renamed,
                it.path,
                it.renamedFrom,
                null,
                it.after,
                it.after,
                it.sel,
                source,
                it.error));
        return;
      }
    }
    Change c = Differ.diff(it.before, it.after, it.sel.attributes(), it.sel.hashes());
    if (c == null) {
      out.add(
          events.file(
              ChangeType.Renamed,
              it.path,
              it.renamedFrom,
              null,
              it.before,
              it.after,
              it.sel,
              source,
              it.error));
      return;
    }
    out.add(
        events.file(
            ChangeType.Renamed,
            it.path,
            it.renamedFrom,
            null,
            it.before,
            it.before,
            it.sel,
            source,
            null));
    out.add(
        events.file(
            c.type(), it.path, null, c.fields(), it.before, it.after, it.sel, source, it.error));
  }

  /** Adds what {@code it} writes to {@code writes} and the event it records to {@code out}. */
  void decide(Item it, List<EntryWrite> writes, List<FimEvent> out) {
    if (it.sel == null) {
      // no longer monitored (rules changed): drop silently
      if (it.before != null && it.renamedFrom == null) {
        writes.add(new EntryWrite(it.path, null, true));
      }
      return;
    }
    if (it.renamedFrom != null) {
      writes.add(new EntryWrite(it.renamedFrom, null, true));
      writes.add(new EntryWrite(it.path, it.after, false));
      renamed(it, out);
      return;
    }
    if (it.after == null) {
      if (it.before != null) {
        writes.add(new EntryWrite(it.path, null, true));
        if (!creating) {
          out.add(
              events.file(
                  ChangeType.Deleted,
                  it.path,
                  null,
                  null,
                  it.before,
                  null,
                  it.sel,
                  source,
                  it.error));
        }
      }
      return;
    }
    if (it.before == null || it.after.differsFrom(it.before)) {
      writes.add(new EntryWrite(it.path, it.after, it.before != null));
    }
    if (creating) {
      return;
    }
    if (it.before == null && quietNew.test(it.path)) {
      quietlyAdded++;
      return;
    }
    Change c = Differ.diff(it.before, it.after, it.sel.attributes(), it.sel.hashes());
    if (c == null
        && it.error != null
        && it.before != null
        && !it.before.stale()
        && (it.before.sha256() != null || it.before.sampled() != null)) {
      // was readable, is not now: say so once (the stored entry's digests are stale from now on)
      c = new Change(ChangeType.Modified, List.of());
    }
    if (c != null) {
      out.add(
          events.file(
              c.type(), it.path, null, c.fields(), it.before, it.after, it.sel, source, it.error));
    }
  }
}
