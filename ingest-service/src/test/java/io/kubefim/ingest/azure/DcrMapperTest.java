package io.kubefim.ingest.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.EntityType;
import io.kubefim.api.event.FieldChanged;
import io.kubefim.api.event.FimEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DcrMapperTest {
  private final DcrMapper mapper = new DcrMapper();

  @Test
  void recordHasDeclaredColumnsWithWireTypesAndNoNulls() {
    FimEvent e =
        new FimEvent()
            .setTimeGenerated(Instant.parse("2024-05-01T10:15:30.123Z"))
            .setEventId("6f1c2a8e-1b2c-4d5e-8f90-123456789abc")
            .setComputer("n1")
            .setMonitoredEntityType(EntityType.File)
            .setChangeType(ChangeType.Modified)
            .setFilePath("/etc/passwd")
            .setFileSize(12L)
            .setFieldsChanged(List.of(FieldChanged.Content))
            .setTags(Map.of("a", "b"));
    Map<String, Object> r = mapper.toRecord(e);
    assertThat(r.get("TimeGenerated")).isEqualTo("2024-05-01T10:15:30.123Z");
    assertThat(r.get("MonitoredEntityType")).isEqualTo("File");
    assertThat(((Number) r.get("FileSize")).longValue()).isEqualTo(12L);
    assertThat(r.get("FieldsChanged")).isEqualTo(List.of("Content"));
    assertThat(r.get("Tags")).isEqualTo(Map.of("a", "b"));
    assertThat(r).doesNotContainKey("FileSha256");
    assertThat(DcrMapper.COLUMNS.keySet()).containsAll(r.keySet());
  }

  @Test
  void changeExpectedIsAlwaysSentFalseWhenAbsent() {
    FimEvent e =
        new FimEvent()
            .setTimeGenerated(Instant.parse("2024-05-01T10:15:30Z"))
            .setEventId("6f1c2a8e-1b2c-4d5e-8f90-123456789abc")
            .setComputer("n1")
            .setMonitoredEntityType(EntityType.File)
            .setChangeType(ChangeType.Modified)
            .setFilePath("/etc/passwd");
    assertThat(mapper.toRecord(e)).containsEntry("ChangeExpected", false);
    assertThat(mapper.toRecord(e)).doesNotContainKey("ExpectedReason");
    e.getExpectation().expect("PackageManager:/usr/bin/dpkg");
    assertThat(mapper.toRecord(e))
        .containsEntry("ChangeExpected", true)
        .containsEntry("ExpectedReason", "PackageManager:/usr/bin/dpkg");
  }
}
