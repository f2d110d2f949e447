package io.kubefim.ingest.azure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.event.RegistryChange;
import io.kubefim.api.json.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps an event to one record of the DCR stream {@code Custom-KubeFimEvents}: the column names are
 * the event's JSON names (SPEC §4) and the types those of the stream declaration in {@code
 * deploy/azure/kubefim-azure.json}, which {@code DcrTemplateTest} holds column for column against
 * {@link #COLUMNS}. Absent values are left out (the column stays empty), except ChangeExpected,
 * which is false when absent. Pure and thread-safe.
 */
public final class DcrMapper {
  /**
   * Column name → stream declaration type (string, long, int, datetime, dynamic), in table order.
   */
  public static final Map<String, String> COLUMNS;

  /** The column that is always sent: false when the event does not say the change was expected. */
  static final String CHANGE_EXPECTED = "ChangeExpected";

  static {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("TimeGenerated", "datetime");
    c.put("EventId", "string");
    c.put("Computer", "string");
    c.put("AzureResourceId", "string");
    c.put("ClusterName", "string");
    c.put("MonitoredEntityType", "string");
    c.put("ChangeType", "string");
    c.put("FilePath", "string");
    c.put("FileName", "string");
    c.put("OriginalFilePath", "string");
    c.put("OriginalFileName", "string");
    c.put("FileType", "string");
    c.put("FileSize", "long");
    c.put("PreviousFileSize", "long");
    c.put("FileSha256", "string");
    c.put("PreviousFileSha256", "string");
    c.put("FileSha1", "string");
    c.put("FileMd5", "string");
    c.put("FileMode", "string");
    c.put("PreviousFileMode", "string");
    c.put("FileOwner", "string");
    c.put("PreviousFileOwner", "string");
    c.put("FileGroup", "string");
    c.put("PreviousFileGroup", "string");
    c.put("SymlinkTarget", "string");
    c.put("PreviousSymlinkTarget", "string");
    c.put("FieldsChanged", "dynamic");
    c.put("DetectionSource", "string");
    c.put("PolicyNames", "dynamic");
    c.put("Tags", "dynamic");
    c.put("InitiatingProcessId", "long");
    c.put("InitiatingProcessName", "string");
    c.put("InitiatingProcessImageFilePath", "string");
    c.put("InitiatingProcessCommandLine", "string");
    c.put("InitiatingProcessCreationTime", "datetime");
    c.put("InitiatingProcessParentId", "long");
    c.put("InitiatingProcessParentName", "string");
    c.put("InitiatingProcessAccountName", "string");
    c.put("InitiatingProcessPosixUserId", "long");
    c.put("InitiatingProcessLoginUserId", "long");
    c.put("InitiatingProcessLoginAccountName", "string");
    c.put("InitiatingProcessCount", "int");
    c.put("ContainerId", "string");
    c.put("PodUid", "string");
    c.put("PodName", "string");
    c.put("PodNamespace", "string");
    c.put("ContainerName", "string");
    // Registry columns are all strings, in RegistryChange's column order.
    for (String registry :
        RegistryChange.class
            .getAnnotation(com.fasterxml.jackson.annotation.JsonPropertyOrder.class)
            .value()) {
      c.put(registry, "string");
    }
    // Expected changes (issue 17): ChangeExpected is always sent, false when the agent left it out,
    // so "where ChangeExpected == false" finds every unexpected change (an empty bool is neither).
    c.put(CHANGE_EXPECTED, "boolean");
    c.put("ExpectedReason", "string");
    c.put("ErrorMessage", "string");
    c.put("Details", "string");
    COLUMNS = Collections.unmodifiableMap(c);
  }

  private static final TypeReference<LinkedHashMap<String, Object>> RECORD =
      new TypeReference<>() {};
  private final ObjectMapper mapper = Json.mapper();

  /** The record for the event: only declared columns, RFC 3339 time, numbers as numbers. */
  public Map<String, Object> toRecord(FimEvent event) {
    Map<String, Object> all = mapper.convertValue(event, RECORD);
    all.keySet().retainAll(COLUMNS.keySet());
    all.putIfAbsent(CHANGE_EXPECTED, Boolean.FALSE);
    return all;
  }

  /** The serialized size of a record in bytes, as the service counts it (JSON, before gzip). */
  public int sizeOf(Map<String, Object> record) {
    try {
      return mapper.writeValueAsBytes(record).length;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("record not serializable", e);
    }
  }
}
