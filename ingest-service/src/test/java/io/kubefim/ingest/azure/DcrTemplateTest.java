package io.kubefim.ingest.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.kubefim.api.event.Attribution;
import io.kubefim.api.event.Expectation;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import io.kubefim.ingest.azure.fake.FakeLogsIngestion;
import io.kubefim.ingest.receive.EventValidator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * deploy/azure/kubefim-azure.json, DcrMapper, the validator and FimEvent agree column for column.
 */
class DcrTemplateTest {
  private static JsonNode template() throws Exception {
    Path root = Path.of(System.getProperty("kubefim.test.repo-root", ".."));
    return Json.mapper().readTree(root.resolve("deploy/azure/kubefim-azure.json").toFile());
  }

  @Test
  void streamDeclarationIsTheMapperColumnsInOrder() throws Exception {
    Map<String, String> stream =
        FakeLogsIngestion.streamColumns(template(), "Custom-KubeFimEvents");
    assertThat(stream).containsExactlyEntriesOf(DcrMapper.COLUMNS);
  }

  @Test
  void tableSchemaMatchesTheStream() throws Exception {
    Map<String, String> table = new LinkedHashMap<>();
    for (JsonNode r : template().get("resources")) {
      if (r.get("type").asText().equals("Microsoft.OperationalInsights/workspaces/tables")) {
        for (JsonNode c : r.at("/properties/schema/columns")) {
          table.put(c.get("name").asText(), c.get("type").asText().toLowerCase(Locale.ROOT));
        }
      }
    }
    assertThat(table).containsExactlyEntriesOf(DcrMapper.COLUMNS);
  }

  @Test
  void dcrIsDirectAndFlowsIntoTheCustomTable() throws Exception {
    for (JsonNode r : template().get("resources")) {
      if (r.get("type").asText().equals("Microsoft.Insights/dataCollectionRules")) {
        assertThat(r.get("kind").asText()).isEqualTo("Direct");
        JsonNode flow = r.at("/properties/dataFlows/0");
        assertThat(flow.get("streams").get(0).asText()).isEqualTo("Custom-KubeFimEvents");
        assertThat(flow.get("outputStream").asText()).contains("Custom-{0}");
      }
    }
    assertThat(template().at("/variables/tableName").asText()).isEqualTo("KubeFimEvents_CL");
  }

  @Test
  void attributionColumnsHaveTheirTypes() {
    assertThat(DcrMapper.COLUMNS)
        .containsEntry("InitiatingProcessId", "long")
        .containsEntry("InitiatingProcessCreationTime", "datetime")
        .containsEntry("InitiatingProcessParentId", "long")
        .containsEntry("InitiatingProcessPosixUserId", "long")
        .containsEntry("InitiatingProcessLoginUserId", "long")
        .containsEntry("InitiatingProcessCount", "int")
        .containsEntry("InitiatingProcessCommandLine", "string")
        .containsEntry("PodUid", "string");
  }

  @Test
  void expectationColumnsHaveTheirTypes() {
    assertThat(DcrMapper.COLUMNS)
        .containsEntry("ChangeExpected", "boolean")
        .containsEntry("ExpectedReason", "string");
  }

  /** FimEvent's JSON columns in order, the unwrapped Attribution's (etc.) in their places. */
  static List<String> eventColumns() {
    List<String> out = new ArrayList<>();
    for (String f : FimEvent.class.getAnnotation(JsonPropertyOrder.class).value()) {
      if (f.equals("attribution")) {
        out.addAll(List.of(Attribution.class.getAnnotation(JsonPropertyOrder.class).value()));
      } else if (f.equals("registry")) {
        out.addAll(
            List.of(
                io.kubefim.api.event.RegistryChange.class
                    .getAnnotation(JsonPropertyOrder.class)
                    .value()));
      } else if (f.equals("expectation")) {
        out.addAll(List.of(Expectation.class.getAnnotation(JsonPropertyOrder.class).value()));
      } else {
        out.add(f);
      }
    }
    return out;
  }

  @Test
  void everyEventFieldIsAColumnAndValidated() {
    List<String> eventFields = eventColumns();
    assertThat(eventFields).contains("InitiatingProcessCommandLine", "PodUid", "ContainerName");
    assertThat(eventFields).contains("RegistryKey", "RegistryHive", "NewValueData");
    assertThat(eventFields).contains("ChangeExpected", "ExpectedReason");
    assertThat(DcrMapper.COLUMNS.keySet()).containsExactlyElementsOf(eventFields);
    assertThat(EventValidator.fieldNames()).containsExactlyElementsOf(eventFields);
  }
}
