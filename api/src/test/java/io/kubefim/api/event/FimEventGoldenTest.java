package io.kubefim.api.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubefim.api.json.Json;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The event wire format (SPEC §4) against golden files: parse, serialize, compare as JSON trees;
 * the field names are the MDCFileIntegrityMonitoringEvents ones, so existing KQL keeps working.
 */
class FimEventGoldenTest {
  /** Beyond the SPEC table, documented on {@link Attribution}: the uid, login uid, writer count. */
  private static final List<String> ATTRIBUTION_ADDITIONS =
      List.of(
          "InitiatingProcessPosixUserId",
          "InitiatingProcessLoginUserId",
          "InitiatingProcessLoginAccountName",
          "InitiatingProcessCount");

  /** Every field SPEC §4 names, spelled as the table spells it. */
  private static final List<String> SPEC_FIELDS =
      List.of(
          "TimeGenerated",
          "EventId",
          "Computer",
          "AzureResourceId",
          "ClusterName",
          "MonitoredEntityType",
          "ChangeType",
          "FilePath",
          "FileName",
          "OriginalFilePath",
          "OriginalFileName",
          "FileType",
          "FileSize",
          "PreviousFileSize",
          "FileSha256",
          "PreviousFileSha256",
          "FileSha1",
          "FileMd5",
          "FileMode",
          "PreviousFileMode",
          "FileOwner",
          "PreviousFileOwner",
          "FileGroup",
          "PreviousFileGroup",
          "SymlinkTarget",
          "FieldsChanged",
          "DetectionSource",
          "PolicyNames",
          "Tags",
          "InitiatingProcessId",
          "InitiatingProcessName",
          "InitiatingProcessImageFilePath",
          "InitiatingProcessCommandLine",
          "InitiatingProcessCreationTime",
          "InitiatingProcessParentId",
          "InitiatingProcessParentName",
          "InitiatingProcessAccountName",
          "ContainerId",
          "PodUid",
          "PodName",
          "PodNamespace",
          "ContainerName",
          "ChangeExpected",
          "ExpectedReason",
          "ErrorMessage");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "file-modified.json",
        "file-renamed.json",
        "agent-coverage-gap.json",
        "registry-value-set.json",
        "file-expected.json"
      })
  void roundTripsUnchanged(String name) throws Exception {
    JsonNode golden = golden(name);

    FimEvent event = Json.mapper().treeToValue(golden, FimEvent.class);
    JsonNode written = Json.mapper().readTree(Json.mapper().writeValueAsString(event));

    assertThat(written).isEqualTo(golden);
  }

  /** The registry columns SPEC §4 names (MDC's), spelled as the table spells them. */
  private static final List<String> REGISTRY_FIELDS =
      List.of(
          "RegistryKey",
          "RegistryHive",
          "OldValueName",
          "OldValueType",
          "OldValueData",
          "OldValueFullRegistryKey",
          "NewValueName",
          "NewValueType",
          "NewValueData");

  @Test
  void aRegistryEventWritesMdcsRegistryColumnsAndNoFileOnes() throws Exception {
    FimEvent e = Json.mapper().treeToValue(golden("registry-value-set.json"), FimEvent.class);
    assertThat(e.getMonitoredEntityType()).isEqualTo(EntityType.Registry);
    assertThat(e.getChangeType().isRegistryChange()).isTrue();
    assertThat(e.getRegistry().getHive()).isEqualTo("HKEY_LOCAL_MACHINE");
    e.getRegistry().setOldValueFullRegistryKey("HKEY_LOCAL_MACHINE\\SOFTWARE\\Old");
    List<String> keys = new ArrayList<>();
    Json.mapper().valueToTree(e).fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsAll(REGISTRY_FIELDS).noneMatch(k -> k.startsWith("File"));
    FimEvent file = Json.mapper().treeToValue(golden("file-modified.json"), FimEvent.class);
    List<String> fileKeys = new ArrayList<>();
    Json.mapper().valueToTree(file).fieldNames().forEachRemaining(fileKeys::add);
    assertThat(fileKeys).doesNotContainAnyElementsOf(REGISTRY_FIELDS);
  }

  @Test
  void modifiedEventCarriesEveryFileFieldOfTheSpec() throws Exception {
    JsonNode golden = golden("file-modified.json");
    List<String> keys = new ArrayList<>();
    golden.fieldNames().forEachRemaining(keys::add);

    List<String> fileFields = new ArrayList<>(SPEC_FIELDS);
    fileFields.removeAll(
        List.of(
            "OriginalFilePath",
            "OriginalFileName",
            "SymlinkTarget",
            "ErrorMessage",
            "ChangeExpected",
            "ExpectedReason"));
    fileFields.addAll(ATTRIBUTION_ADDITIONS);
    assertThat(keys).containsExactlyInAnyOrderElementsOf(fileFields);
  }

  @Test
  void serializesExactlyTheSpecNamesPlusTheTwoDocumentedAdditions() throws Exception {
    FimEvent full = Json.mapper().treeToValue(golden("file-modified.json"), FimEvent.class);
    full.setOriginalFilePath("/a")
        .setOriginalFileName("a")
        .setSymlinkTarget("/b")
        .setPreviousSymlinkTarget("/c")
        .setErrorMessage("e")
        .setDetails("d");
    full.getExpectation().expect("MaintenanceWindow:patch-sunday");
    List<String> keys = new ArrayList<>();
    Json.mapper().valueToTree(full).fieldNames().forEachRemaining(keys::add);

    // Beyond the SPEC table, both documented on FimEvent: PreviousSymlinkTarget, Details.
    List<String> expected = new ArrayList<>(SPEC_FIELDS);
    expected.addAll(List.of("PreviousSymlinkTarget", "Details"));
    expected.addAll(ATTRIBUTION_ADDITIONS);
    assertThat(keys).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void parsesIntoTypedValues() throws Exception {
    FimEvent e = Json.mapper().treeToValue(golden("file-modified.json"), FimEvent.class);

    assertThat(e.getTimeGenerated()).isEqualTo(Instant.parse("2026-03-14T09:26:53.589Z"));
    assertThat(e.getMonitoredEntityType()).isEqualTo(EntityType.File);
    assertThat(e.getChangeType()).isEqualTo(ChangeType.Modified);
    assertThat(e.getFieldsChanged())
        .containsExactly(
            FieldChanged.Content,
            FieldChanged.Size,
            FieldChanged.Permissions,
            FieldChanged.Owner,
            FieldChanged.Group);
    assertThat(e.getTags()).isEqualTo(Map.of("compliance", "pci-dss", "team", "platform,security"));
    assertThat(e.getAttribution().getProcessId()).isEqualTo(48213L);
    assertThat(e.getAttribution().getProcessCreationTime())
        .isEqualTo(Instant.parse("2026-03-14T09:20:11.120Z"));
    assertThat(e.getAttribution().getProcessCount()).isEqualTo(2);
    assertThat(e.getAttribution().getPodUid()).isEqualTo("6f1c2b9e-1d2a-4c8e-9b7a-0e5d4c3b2a19");
    assertThat(e.getFileSize()).isEqualTo(3301L);

    FimEvent gap = Json.mapper().treeToValue(golden("agent-coverage-gap.json"), FimEvent.class);
    assertThat(gap.getMonitoredEntityType()).isEqualTo(EntityType.Agent);
    assertThat(gap.getChangeType()).isEqualTo(ChangeType.CoverageGap);
    assertThat(gap.getChangeType().isFileChange()).isFalse();
  }

  @Test
  void anEventWithoutAttributionWritesNoAttributionColumnsAndReadsBackEqual() throws Exception {
    FimEvent gap = Json.mapper().treeToValue(golden("agent-coverage-gap.json"), FimEvent.class);
    String json = Json.mapper().writeValueAsString(gap);

    assertThat(json).doesNotContain("Initiating").doesNotContain("Pod");
    assertThat(gap.getAttribution().isEmpty()).isTrue();
    assertThat(Json.mapper().readValue(json, FimEvent.class)).isEqualTo(gap);
  }

  @Test
  void cutsALongCommandLine() {
    Attribution a = new Attribution().setProcessCommandLine("x".repeat(10_000));

    assertThat(a.getProcessCommandLine())
        .hasSize(Attribution.MAX_COMMAND_LINE_CHARS + "... (5904 characters cut)".length())
        .endsWith("... (5904 characters cut)");
  }

  @Test
  void anExpectedChangeCarriesChangeExpectedAndItsReasonAndAnUnexpectedOneNeither()
      throws Exception {
    FimEvent e = Json.mapper().treeToValue(golden("file-expected.json"), FimEvent.class);
    assertThat(e.getExpectation().getChangeExpected()).isTrue();
    assertThat(e.getExpectation().getExpectedReason()).isEqualTo("PackageManager:/usr/bin/dpkg");

    FimEvent plain = Json.mapper().treeToValue(golden("file-modified.json"), FimEvent.class);
    assertThat(plain.getExpectation().isEmpty()).isTrue();
    assertThat(Json.mapper().writeValueAsString(plain)).doesNotContain("Expected");
    assertThat(Expectation.window("adhoc")).isEqualTo("adhoc");
    assertThat(Expectation.window("patch-sunday")).isEqualTo("MaintenanceWindow:patch-sunday");
  }

  @Test
  void maintenanceWindowClosedIsAnAgentEvent() {
    assertThat(ChangeType.MaintenanceWindowClosed.isAgentEvent()).isTrue();
    assertThat(ChangeType.MaintenanceWindowClosed.isRegistryChange()).isFalse();
    assertThat(ChangeType.RegistryValueDeleted.isRegistryChange()).isTrue();
  }

  @Test
  void writesRfc3339UtcTimes() throws Exception {
    FimEvent e =
        new FimEvent().setTimeGenerated(Instant.parse("2026-03-14T09:30:00Z")).setEventId("x");

    assertThat(Json.mapper().valueToTree(e).get("TimeGenerated").asText())
        .isEqualTo("2026-03-14T09:30:00Z");
  }

  private static JsonNode golden(String name) throws Exception {
    try (InputStream in = FimEventGoldenTest.class.getResourceAsStream("/golden/" + name)) {
      assertThat(in).as("golden file %s", name).isNotNull();
      return Json.mapper().readTree(in);
    }
  }
}
