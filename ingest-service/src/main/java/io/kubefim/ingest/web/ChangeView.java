package io.kubefim.ingest.web;

import io.kubefim.api.event.FimEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One change as the machine page shows it: a summary line and, inside its {@code <details>}, the
 * previous and current values, who did it, and the rest. Only known values are listed.
 */
public record ChangeView(
    String time,
    String changeType,
    String entityType,
    String path,
    String originalPath,
    String fieldsChanged,
    String detectionSource,
    List<Value> values,
    List<Fact> who,
    List<Fact> other,
    String errorMessage) {

  /** A value before and after the change ("" when unknown). */
  public record Value(String name, String previous, String current) {}

  /** A named fact. */
  public record Fact(String name, String value) {}

  static ChangeView of(FimEvent e) {
    List<Value> values = new ArrayList<>();
    value(values, "SHA-256", e.getPreviousFileSha256(), e.getFileSha256());
    value(values, "SHA-1", null, e.getFileSha1());
    value(values, "MD5", null, e.getFileMd5());
    value(values, "Size (bytes)", e.getPreviousFileSize(), e.getFileSize());
    value(values, "Mode", e.getPreviousFileMode(), e.getFileMode());
    value(values, "Owner", e.getPreviousFileOwner(), e.getFileOwner());
    value(values, "Group", e.getPreviousFileGroup(), e.getFileGroup());
    value(values, "Symlink target", e.getPreviousSymlinkTarget(), e.getSymlinkTarget());
    List<Fact> who = new ArrayList<>();
    fact(who, "Process id", e.getAttribution().getProcessId());
    fact(who, "Process", e.getAttribution().getProcessName());
    fact(who, "Image", e.getAttribution().getProcessImageFilePath());
    fact(who, "Account", e.getAttribution().getProcessAccountName());
    fact(who, "Container", e.getAttribution().getContainerId());
    fact(who, "Pod", e.getAttribution().getPodName());
    fact(who, "Namespace", e.getAttribution().getPodNamespace());
    List<Fact> other = new ArrayList<>();
    fact(other, "File type", e.getFileType());
    fact(
        other,
        "Policies",
        e.getPolicyNames() == null || e.getPolicyNames().isEmpty()
            ? null
            : String.join(", ", e.getPolicyNames()));
    fact(other, "Tags", tags(e.getTags()));
    fact(other, "Details", e.getDetails());
    fact(other, "EventId", e.getEventId());
    return new ChangeView(
        e.getTimeGenerated().toString(),
        e.getChangeType().name(),
        e.getMonitoredEntityType().name(),
        Objects.toString(e.getFilePath(), ""),
        Objects.toString(e.getOriginalFilePath(), ""),
        e.getFieldsChanged() == null || e.getFieldsChanged().isEmpty()
            ? ""
            : e.getFieldsChanged().stream().map(Enum::name).collect(Collectors.joining(", ")),
        e.getDetectionSource() == null ? "" : e.getDetectionSource().name(),
        values,
        who,
        other,
        Objects.toString(e.getErrorMessage(), ""));
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
