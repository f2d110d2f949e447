package io.kubefim.agent.engine;

import io.kubefim.agent.config.Selection;
import io.kubefim.agent.expect.ExpectationLabeller;
import io.kubefim.agent.scan.FileState;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.EntityType;
import io.kubefim.api.event.FieldChanged;
import io.kubefim.api.event.FileType;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.glob.HostPaths;
import io.kubefim.api.windows.WindowsPaths;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Builds SPEC §4 events. The EventId is made here, at detection, and stored with the event.
 *
 * <p>Windows rules (issue 15, {@link Selection#windows}): FilePath and OriginalFilePath are the
 * slash-form paths the agent keeps written as Windows does ({@code /C:/Windows/win.ini} is {@code
 * C:\Windows\win.ini}), FileName their base name. FileMode, FileOwner and FileGroup come from the
 * state ({@link FileState#modeString}, {@link FileState#ownerString}, {@link
 * FileState#groupString}): octal mode and numeric ids where the Linux observer read it, the Mode
 * letters ({@code -a----}) and the owner's account name where the portable one did. Linux paths and
 * columns are as they always were.
 */
public final class EventFactory {
  private final String node;
  private final Clock clock;
  private volatile EventAttribution attribution;
  private volatile ExpectationLabeller expectations;

  public EventFactory(String node, Clock clock) {
    this.node = node;
    this.clock = clock;
  }

  /** Who-did-it for realtime events of rules that ask for it; null: none. */
  public void attributeWith(EventAttribution attribution) {
    this.attribution = attribution;
  }

  /** Labels File and Registry events ChangeExpected (issue 17) as they are made; null: none. */
  public void labelWith(ExpectationLabeller expectations) {
    this.expectations = expectations;
  }

  /** An event about one file; {@code before}/{@code after} may be null (created/deleted). */
  public FimEvent file(
      ChangeType type,
      String path,
      String originalPath,
      List<FieldChanged> fields,
      FileState before,
      FileState after,
      Selection sel,
      DetectionSource source,
      String error) {
    FimEvent e = base(EntityType.File, type).setDetectionSource(source);
    boolean windows = sel != null && sel.windows();
    e.setFilePath(shown(path, windows)).setFileName(HostPaths.fileName(path));
    if (originalPath != null) {
      e.setOriginalFilePath(shown(originalPath, windows))
          .setOriginalFileName(HostPaths.fileName(originalPath));
    }
    FileState shape = after != null ? after : before;
    e.setFileType(shape.type());
    if (after != null) {
      if (after.type() != FileType.Directory) {
        e.setFileSize(after.size());
      }
      if (!after.stale()) { // stale: the last known digests, not of the content now
        e.setFileSha256(after.sha256()).setFileSha1(after.sha1()).setFileMd5(after.md5());
      }
      e.setFileMode(after.modeString());
      e.setFileOwner(after.ownerString()).setFileGroup(after.groupString());
      e.setSymlinkTarget(after.symlinkTarget());
      if (after.oversized() && error == null) {
        error =
            "larger than maxFileSize ("
                + after.size()
                + " bytes): not fully hashed, content compared on sampled blocks";
      }
    }
    if (before != null && type != ChangeType.Created) {
      if (before.type() != FileType.Directory) {
        e.setPreviousFileSize(before.size());
      }
      e.setPreviousFileSha256(before.sha256());
      e.setPreviousFileMode(before.modeString());
      e.setPreviousFileOwner(before.ownerString());
      e.setPreviousFileGroup(before.groupString());
      e.setPreviousSymlinkTarget(before.symlinkTarget());
    }
    if (type == ChangeType.Modified) {
      e.setFieldsChanged(fields);
    }
    if (sel != null) {
      e.setPolicyNames(sel.policyNames().isEmpty() ? null : sel.policyNames());
      e.setTags(sel.tags().isEmpty() ? null : sel.tags());
    }
    e.setErrorMessage(error);
    EventAttribution a = attribution;
    if (a != null && source == DetectionSource.Realtime && sel != null && sel.attribution()) {
      a.attribute(e, path, originalPath);
    }
    return labelled(e); // after attribution: a writer's exe is one of the reasons
  }

  /** {@code path} as events show it: a Windows rule's slash form as Windows writes it. */
  private static String shown(String path, boolean windows) {
    return windows && WindowsPaths.isSlashForm(path) ? WindowsPaths.fromSlashForm(path) : path;
  }

  /** The time events are made at (the factory's clock). */
  public Instant now() {
    return Instant.now(clock);
  }

  /** Labels an event made elsewhere (a registry change) as {@link #file} labels a file's. */
  public FimEvent labelled(FimEvent e) {
    ExpectationLabeller x = expectations;
    if (x != null) {
      x.label(e);
    }
    return e;
  }

  /** An agent health event (BaselineCreated, CoverageGap, RescanCompleted, ...). */
  public FimEvent agent(ChangeType type, String details, String error) {
    return base(EntityType.Agent, type).setDetails(details).setErrorMessage(error);
  }

  private FimEvent base(EntityType entity, ChangeType type) {
    return new FimEvent()
        .setTimeGenerated(Instant.now(clock))
        .setEventId(UUID.randomUUID().toString())
        .setComputer(node)
        .setMonitoredEntityType(entity)
        .setChangeType(type);
  }
}
