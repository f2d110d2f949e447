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

  /** A command line an intruder chose: markup that a page must show escaped. */
  public static final String HOSTILE_COMMAND_LINE =
      "vim -c '<script>alert(1)</script>' /etc/app/x.conf & echo \"done\"";

  /**
   * A valid realtime change with every attribution column (SPEC §4), as an agent with {@code
   * spec.attribution: true} sends it for a process in a pod.
   */
  public static ObjectNode attributed(String computer, String path) {
    ObjectNode e = file(computer, path);
    e.put("InitiatingProcessId", 4242L);
    e.put("InitiatingProcessName", "vim");
    e.put("InitiatingProcessImageFilePath", "/usr/bin/vim.basic");
    e.put("InitiatingProcessCommandLine", HOSTILE_COMMAND_LINE);
    e.put("InitiatingProcessCreationTime", "2024-05-01T10:14:02.5Z");
    e.put("InitiatingProcessParentId", 4100L);
    e.put("InitiatingProcessParentName", "bash");
    e.put("InitiatingProcessAccountName", "root");
    e.put("InitiatingProcessPosixUserId", 0L);
    e.put("InitiatingProcessLoginUserId", 1000L);
    e.put("InitiatingProcessLoginAccountName", "alice");
    e.put("InitiatingProcessCount", 2);
    e.put("ContainerId", "0123456789abcdef".repeat(4));
    e.put("PodUid", "7b1e8c2a-3f4d-4e5a-9b6c-0d1e2f3a4b5c");
    e.put("PodName", "debug-x");
    e.put("PodNamespace", "default");
    e.put("ContainerName", "shell");
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

  /** A valid File Modified event the agent labelled expected for {@code reason} (issue 17). */
  public static ObjectNode expected(String computer, String path, String reason) {
    ObjectNode e = file(computer, path);
    e.put("ChangeExpected", true);
    e.put("ExpectedReason", reason);
    return e;
  }

  /**
   * The agent's summary of window {@code window} of {@code policy} (issue 17), Details as the agent
   * writes them: counts by ChangeType and directory.
   */
  public static ObjectNode windowClosed(String computer, String policy, String window) {
    ObjectNode e = agent(computer, "MaintenanceWindowClosed");
    e.put("TimeGenerated", "2024-05-01T04:00:00Z");
    e.putArray("PolicyNames").add(policy);
    e.put("ChangeExpected", true);
    e.put("ExpectedReason", "MaintenanceWindow:" + window);
    ObjectNode d = Json.mapper().createObjectNode();
    d.put("policy", policy);
    d.put("window", window);
    d.put("opened", "2024-05-01T02:00:00Z");
    d.put("closed", "2024-05-01T04:00:00Z");
    d.put("changes", 7);
    d.putObject("byChangeType").put("Modified", 5).put("Created", 2);
    d.putObject("byDirectory").put("/usr/bin", 4).put("/etc", 2);
    d.put("otherDirectories", 1);
    e.put("Details", d.toString());
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
