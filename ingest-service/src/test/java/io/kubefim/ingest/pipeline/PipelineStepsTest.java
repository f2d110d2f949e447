package io.kubefim.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineStepsTest {
  @Test
  void recentIdsAreBounded() {
    RecentEventIds ids = new RecentEventIds(2);
    ids.addAll(List.of("a", "b", "c"));
    assertThat(ids.contains("a")).isFalse();
    assertThat(ids.contains("c")).isTrue();
    assertThat(ids.size()).isEqualTo(2);
  }

  @Test
  void admissionRefusesPastCapacity() {
    Admission a = new Admission(2);
    assertThat(a.tryEnter()).isTrue();
    assertThat(a.tryEnter()).isTrue();
    assertThat(a.tryEnter()).isFalse();
    a.release();
    assertThat(a.inFlight()).isEqualTo(1);
    assertThat(a.tryEnter()).isTrue();
  }

  @Test
  void theByteBudgetRefusesABodyThatDoesNotFitAndIsGivenBackWithThePermit() {
    Admission a = new Admission(10, 8 * Admission.UNIT);
    assertThat(a.tryEnter()).isTrue();
    assertThat(a.tryCharge(Admission.unitsFor(5 * Admission.UNIT + 1))).isTrue(); // 6 units
    assertThat(a.tryEnter()).isTrue();
    assertThat(a.tryCharge(Admission.unitsFor(3 * Admission.UNIT))).isFalse(); // 6 + 3 > 8
    assertThat(a.tryCharge(2)).isTrue();
    a.refund(6);
    a.release();
    assertThat(a.tryCharge(6)).isTrue();
  }
}
