package io.kubefim.ingest.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.api.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/** Builds event JSON the way an agent sends it. */
public final class TestEvents {
  private TestEvents() {}

  /** A valid File Modified event. */
  public static ObjectNode file(String computer, String path) {
    ObjectNode e = Json.mapper().createObjectNode();
    e.put("TimeGenerated", "2024-05-01T10:15:30.123Z");
    e.put("EventId", UUID.randomUUID().toString());
    e.put("Computer", computer);
    e.put("MonitoredEntityType", "File");
    e.put("ChangeType", "Modified");
    e.put("FilePath", path);
    e.put("FileName", path.substring(path.lastIndexOf('/') + 1));
    e.put("FileType", "File");
    e.put("FileSize", 1234L);
    e.put("PreviousFileSize", 1200L);
    e.put("FileSha256", "a".repeat(64));
    e.put("PreviousFileSha256", "b".repeat(64));
    e.put("FileMode", "0644");
    e.put("FileOwner", "0");
    e.put("FileGroup", "0");
    e.putArray("FieldsChanged").add("Content").add("Size");
    e.put("DetectionSource", "Realtime");
    e.putArray("PolicyNames").add("linux-recommended");
    e.putObject("Tags").put("compliance", "pci-dss");
    e.put("InitiatingProcessId", 4242L);
    e.put("InitiatingProcessName", "vi");
    return e;
  }

  /** A valid Agent event. */
  public static ObjectNode agent(String computer, String change) {
    ObjectNode e = Json.mapper().createObjectNode();
    e.put("TimeGenerated", "2024-05-01T10:00:00Z");
    e.put("EventId", UUID.randomUUID().toString());
    e.put("Computer", computer);
    e.put("MonitoredEntityType", "Agent");
    e.put("ChangeType", change);
    e.put("Details", "baseline of 1234 files");
    return e;
  }

  public static String array(List<ObjectNode> events) {
    return "[" + events.stream().map(ObjectNode::toString).collect(Collectors.joining(",")) + "]";
  }

  public static String ndjson(List<ObjectNode> events) {
    return events.stream().map(ObjectNode::toString).collect(Collectors.joining("\n")) + "\n";
  }

  public static byte[] gzip(String text) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
        gz.write(text.getBytes(StandardCharsets.UTF_8));
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
