package io.kubefim.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.ingest.web.WindowSummary.Count;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowSummaryTest {

  @Test
  void readsTheAgentsSummaryInItsOrder() {
    WindowSummary w =
        WindowSummary.parse(
                "{\"policy\":\"linux\",\"window\":\"patch\",\"opened\":\"2024-05-01T02:00:00Z\","
                    + "\"closed\":\"2024-05-01T04:00:00Z\",\"changes\":7,"
                    + "\"byChangeType\":{\"Modified\":5,\"Created\":2},"
                    + "\"byDirectory\":{\"/usr/bin\":4,\"/etc\":2},\"otherDirectories\":1}")
            .orElseThrow();
    assertThat(w.policy()).isEqualTo("linux");
    assertThat(w.changes()).isEqualTo(7L);
    assertThat(w.byDirectory()).containsExactly(new Count("/usr/bin", 4), new Count("/etc", 2));
    assertThat(w.byChangeType()).containsExactly(new Count("Modified", 5), new Count("Created", 2));
    assertThat(w.otherDirectories()).isEqualTo(1);
  }

  @Test
  void toleratesMissingAndMalformedParts() {
    WindowSummary w =
        WindowSummary.parse("{\"window\":\"adhoc\",\"byDirectory\":{\"/opt\":3,\"/x\":\"many\"}}")
            .orElseThrow();
    assertThat(w.byDirectory()).containsExactly(new Count("/opt", 3));
    assertThat(w.byChangeType()).isEmpty();
    assertThat(w.otherDirectories()).isZero();
    assertThat(w.changes()).isNull();
    assertThat(w.policy()).isEmpty();
    for (String notJson : List.of("", "window closed", "[1,2]", "{broken")) {
      assertThat(WindowSummary.parse(notJson)).as(notJson).isEmpty();
    }
    assertThat(WindowSummary.parse(null)).isEmpty();
  }
}
