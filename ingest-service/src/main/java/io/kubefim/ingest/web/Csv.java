package io.kubefim.ingest.web;

import io.kubefim.api.event.FimEvent;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The CSV export of changes: RFC 4180 (CRLF line ends, a header row, a field quoted when it holds a
 * comma, a quote, CR or LF, quotes doubled). Values are written as stored; a spreadsheet user
 * should import rather than open a file from an untrusted node (a value may start with {@code =}).
 */
final class Csv {
  private Csv() {}

  private record Column(String name, Function<FimEvent, Object> value) {}

  private static final List<Column> COLUMNS =
      List.of(
          new Column("TimeGenerated", FimEvent::getTimeGenerated),
          new Column("EventId", FimEvent::getEventId),
          new Column("Computer", FimEvent::getComputer),
          new Column("MonitoredEntityType", FimEvent::getMonitoredEntityType),
          new Column("ChangeType", FimEvent::getChangeType),
          new Column("FilePath", FimEvent::getFilePath),
          new Column("OriginalFilePath", FimEvent::getOriginalFilePath),
          new Column("FileType", FimEvent::getFileType),
          new Column("FieldsChanged", e -> join(e.getFieldsChanged())),
          new Column("PreviousFileSize", FimEvent::getPreviousFileSize),
          new Column("FileSize", FimEvent::getFileSize),
          new Column("PreviousFileSha256", FimEvent::getPreviousFileSha256),
          new Column("FileSha256", FimEvent::getFileSha256),
          new Column("FileSha1", FimEvent::getFileSha1),
          new Column("FileMd5", FimEvent::getFileMd5),
          new Column("PreviousFileMode", FimEvent::getPreviousFileMode),
          new Column("FileMode", FimEvent::getFileMode),
          new Column("PreviousFileOwner", FimEvent::getPreviousFileOwner),
          new Column("FileOwner", FimEvent::getFileOwner),
          new Column("PreviousFileGroup", FimEvent::getPreviousFileGroup),
          new Column("FileGroup", FimEvent::getFileGroup),
          new Column("PreviousSymlinkTarget", FimEvent::getPreviousSymlinkTarget),
          new Column("SymlinkTarget", FimEvent::getSymlinkTarget),
          new Column("DetectionSource", FimEvent::getDetectionSource),
          new Column("InitiatingProcessId", e -> e.getAttribution().getProcessId()),
          new Column("InitiatingProcessName", e -> e.getAttribution().getProcessName()),
          new Column(
              "InitiatingProcessImageFilePath", e -> e.getAttribution().getProcessImageFilePath()),
          new Column(
              "InitiatingProcessCommandLine", e -> e.getAttribution().getProcessCommandLine()),
          new Column(
              "InitiatingProcessCreationTime", e -> e.getAttribution().getProcessCreationTime()),
          new Column("InitiatingProcessParentId", e -> e.getAttribution().getProcessParentId()),
          new Column("InitiatingProcessParentName", e -> e.getAttribution().getProcessParentName()),
          new Column(
              "InitiatingProcessAccountName", e -> e.getAttribution().getProcessAccountName()),
          new Column(
              "InitiatingProcessPosixUserId", e -> e.getAttribution().getProcessPosixUserId()),
          new Column(
              "InitiatingProcessLoginUserId", e -> e.getAttribution().getProcessLoginUserId()),
          new Column(
              "InitiatingProcessLoginAccountName",
              e -> e.getAttribution().getProcessLoginAccountName()),
          new Column("InitiatingProcessCount", e -> e.getAttribution().getProcessCount()),
          new Column("ContainerId", e -> e.getAttribution().getContainerId()),
          new Column("PodUid", e -> e.getAttribution().getPodUid()),
          new Column("PodName", e -> e.getAttribution().getPodName()),
          new Column("PodNamespace", e -> e.getAttribution().getPodNamespace()),
          new Column("ContainerName", e -> e.getAttribution().getContainerName()),
          new Column("RegistryKey", e -> e.getRegistry().getKey()),
          new Column("RegistryHive", e -> e.getRegistry().getHive()),
          new Column("OldValueName", e -> e.getRegistry().getOldValueName()),
          new Column("OldValueType", e -> e.getRegistry().getOldValueType()),
          new Column("OldValueData", e -> e.getRegistry().getOldValueData()),
          new Column("OldValueFullRegistryKey", e -> e.getRegistry().getOldValueFullRegistryKey()),
          new Column("NewValueName", e -> e.getRegistry().getNewValueName()),
          new Column("NewValueType", e -> e.getRegistry().getNewValueType()),
          new Column("NewValueData", e -> e.getRegistry().getNewValueData()),
          new Column(
              "ChangeExpected", e -> Boolean.TRUE.equals(e.getExpectation().getChangeExpected())),
          new Column("ExpectedReason", e -> e.getExpectation().getExpectedReason()),
          new Column("PolicyNames", e -> join(e.getPolicyNames())),
          new Column("Tags", e -> tags(e.getTags())),
          new Column("ErrorMessage", FimEvent::getErrorMessage),
          new Column("Details", FimEvent::getDetails));

  static String header() {
    return COLUMNS.stream().map(Column::name).collect(Collectors.joining(",")) + "\r\n";
  }

  static String row(FimEvent e) {
    return COLUMNS.stream()
            .map(c -> c.value().apply(e))
            .map(v -> v == null ? "" : quote(v.toString()))
            .collect(Collectors.joining(","))
        + "\r\n";
  }

  static String quote(String v) {
    if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\r') < 0 && v.indexOf('\n') < 0) {
      return v;
    }
    return '"' + v.replace("\"", "\"\"") + '"';
  }

  /** Multi-valued fields: values joined by {@code ;}. */
  private static String join(List<?> values) {
    return values == null || values.isEmpty()
        ? null
        : values.stream().map(Object::toString).collect(Collectors.joining(";"));
  }

  private static String tags(Map<String, String> tags) {
    return tags == null || tags.isEmpty()
        ? null
        : tags.entrySet().stream()
            .map(t -> t.getKey() + "=" + t.getValue())
            .collect(Collectors.joining(";"));
  }
}
