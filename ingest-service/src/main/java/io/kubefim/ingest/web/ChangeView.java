package io.kubefim.ingest.web;

import io.kubefim.api.event.Attribution;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.event.RegistryChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One change as the machine page shows it: a summary line and, inside its {@code <details>}, the
 * previous and current values, who did it, and the rest; an expected change carries its
 * ExpectedReason, a MaintenanceWindowClosed event its counts. Only known values are listed. Every
 * string here may come from an intruder (a command line, a process or pod name): the template
 * escapes them, nothing here builds markup.
 */
public record ChangeView(
    String time,
    String changeType,
    String entityType,
    String path,
    String originalPath,
    String fieldsChanged,
    String detectionSource,
    String whoSummary,
    List<Value> values,
    List<Fact> who,
    List<Fact> other,
    String errorMessage,
    boolean changeExpected,
    String expectedReason,
    WindowSummary windowSummary,
    boolean reviewable,
    String reviewedBy,
    String reviewedAt) {

  /** The stored event with who reviewed it, if anyone did (issue 17). */
  static ChangeView of(io.kubefim.ingest.store.StoredEvent r) {
    return of(
        MachinesPage.parse(r.json()),
        Objects.toString(r.reviewedBy(), ""),
        r.reviewedAt() == null ? "" : r.reviewedAt().toString());
  }

  /** A value before and after the change ("" when unknown). */
  public record Value(String name, String previous, String current) {}

  /** A named fact. */
  public record Fact(String name, String value) {}

  static ChangeView of(FimEvent e) {
    return of(e, "", "");
  }

  private static ChangeView of(FimEvent e, String reviewedBy, String reviewedAt) {
    List<Value> values = new ArrayList<>();
    value(values, "SHA-256", e.getPreviousFileSha256(), e.getFileSha256());
    value(values, "SHA-1", null, e.getFileSha1());
    value(values, "MD5", null, e.getFileMd5());
    value(values, "Size (bytes)", e.getPreviousFileSize(), e.getFileSize());
    value(values, "Mode", e.getPreviousFileMode(), e.getFileMode());
    value(values, "Owner", e.getPreviousFileOwner(), e.getFileOwner());
    value(values, "Group", e.getPreviousFileGroup(), e.getFileGroup());
    value(values, "Symlink target", e.getPreviousSymlinkTarget(), e.getSymlinkTarget());
    RegistryChange r = e.getRegistry();
    value(values, "Value name", r.getOldValueName(), r.getNewValueName());
    value(values, "Value type", r.getOldValueType(), r.getNewValueType());
    value(values, "Value data", r.getOldValueData(), r.getNewValueData());
    List<Fact> who = who(e.getAttribution());
    List<Fact> other = new ArrayList<>();
    fact(other, "File type", e.getFileType());
    fact(other, "Renamed from", r.getOldValueFullRegistryKey());
    fact(
        other,
        "Policies",
        e.getPolicyNames() == null || e.getPolicyNames().isEmpty()
            ? null
            : String.join(", ", e.getPolicyNames()));
    fact(other, "Tags", tags(e.getTags()));
    WindowSummary window =
        e.getChangeType() == ChangeType.MaintenanceWindowClosed
            ? WindowSummary.parse(e.getDetails()).orElse(null)
            : null;
    if (window == null) {
      fact(other, "Details", e.getDetails()); // a window's summary has its own table instead
    }
    fact(other, "EventId", e.getEventId());
    return new ChangeView(
        e.getTimeGenerated().toString(),
        e.getChangeType().name(),
        e.getMonitoredEntityType().name(),
        r.getHive() != null
            ? r.getHive() + (r.getKey() == null || r.getKey().isEmpty() ? "" : "\\" + r.getKey())
            : Objects.toString(e.getFilePath(), ""),
        Objects.toString(e.getOriginalFilePath(), ""),
        e.getFieldsChanged() == null || e.getFieldsChanged().isEmpty()
            ? ""
            : e.getFieldsChanged().stream().map(Enum::name).collect(Collectors.joining(", ")),
        e.getDetectionSource() == null ? "" : e.getDetectionSource().name(),
        whoSummary(e.getAttribution()),
        values,
        who,
        other,
        Objects.toString(e.getErrorMessage(), ""),
        Boolean.TRUE.equals(e.getExpectation().getChangeExpected()),
        Objects.toString(e.getExpectation().getExpectedReason(), ""),
        window,
        !Boolean.TRUE.equals(e.getExpectation().getChangeExpected())
            && !e.getChangeType().isAgentEvent(),
        reviewedBy,
        reviewedAt);
  }

  /**
   * The change list's "Who" column: {@code vim (pid 4242) · pod default/debug-x}, {@code vim (pid
   * 4242) · host}; empty when nothing is known about the writer.
   */
  static String whoSummary(Attribution a) {
    if (a.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    String process = process(a.getProcessName(), a.getProcessId());
    if (process == null && a.getProcessImageFilePath() != null) {
      process = a.getProcessImageFilePath();
    }
    if (process != null) {
      parts.add(process);
    }
    if (a.getPodName() != null) {
      parts.add("pod " + pod(a));
    } else if (a.getContainerId() != null || a.getPodUid() != null) {
      parts.add(
          a.getContainerName() != null
              ? "container " + a.getContainerName()
              : a.getContainerId() != null
                  // short form as crictl shows it; rows stored before validation was strict
                  // may hold shorter ids
                  ? "container "
                      + a.getContainerId().substring(0, Math.min(12, a.getContainerId().length()))
                  : "pod uid " + a.getPodUid());
    } else {
      parts.add("host");
    }
    return String.join(" · ", parts);
  }

  /** Every attribution column, in SPEC order, for the change's details. */
  private static List<Fact> who(Attribution a) {
    List<Fact> who = new ArrayList<>();
    fact(who, "Process", a.getProcessName());
    fact(who, "Process id", a.getProcessId());
    fact(who, "Image", a.getProcessImageFilePath());
    fact(who, "Command line", a.getProcessCommandLine());
    fact(who, "Started", a.getProcessCreationTime());
    fact(who, "Parent", process(a.getProcessParentName(), a.getProcessParentId()));
    fact(who, "User", user(a.getProcessAccountName(), a.getProcessPosixUserId()));
    fact(who, "Login user", user(a.getProcessLoginAccountName(), a.getProcessLoginUserId()));
    if (a.getProcessCount() != null && a.getProcessCount() > 1) {
      fact(who, "Writers", a.getProcessCount() + " writers, last shown");
    }
    fact(who, "Container", a.getContainerName());
    fact(who, "Container id", a.getContainerId());
    fact(who, "Pod", a.getPodName());
    fact(who, "Namespace", a.getPodNamespace());
    fact(who, "Pod uid", a.getPodUid());
    return who;
  }

  /** {@code name (pid N)}, either part alone when the other is unknown. */
  private static String process(String name, Long pid) {
    boolean named = name != null && !name.isEmpty();
    if (!named && pid == null) {
      return null;
    }
    if (pid == null) {
      return name;
    }
    return named ? name + " (pid " + pid + ")" : "pid " + pid;
  }

  /** {@code root (uid 0)}, the uid alone when the name is unknown or is the uid. */
  private static String user(String name, Long uid) {
    if (name == null) {
      return uid == null ? null : "uid " + uid;
    }
    return uid == null || name.equals(uid.toString()) ? name : name + " (uid " + uid + ")";
  }

  private static String pod(Attribution a) {
    return a.getPodNamespace() == null
        ? a.getPodName()
        : a.getPodNamespace() + "/" + a.getPodName();
  }

  private static void value(List<Value> out, String name, Object previous, Object current) {
    if (previous != null || current != null) {
      out.add(new Value(name, Objects.toString(previous, ""), Objects.toString(current, "")));
    }
  }

  private static void fact(List<Fact> out, String name, Object value) {
    if (value != null) {
      out.add(new Fact(name, value.toString()));
    }
  }

  private static String tags(Map<String, String> tags) {
    return tags == null || tags.isEmpty()
        ? null
        : tags.entrySet().stream()
            .map(t -> t.getKey() + "=" + t.getValue())
            .collect(Collectors.joining(", "));
  }
}
