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
}
