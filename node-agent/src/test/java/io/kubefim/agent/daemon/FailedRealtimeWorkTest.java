package io.kubefim.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bookkeeping of subtrees to rescan after a realtime failure, on an explicit clock. */
class FailedRealtimeWorkTest {
  @Test
  void dueAtOnceThenBackedOffOnEachFailedRescanUntilDone() {
    FailedRealtimeWork w = new FailedRealtimeWork();
    w.add("/etc/a", "boom");
    w.add("/etc/a", "second reason is ignored");
    assertThat(w.due(0)).containsExactly(new FailedRealtimeWork.Due("/etc/a", "boom", false));
    w.reported("/etc/a");
    assertThat(w.retryLater("/etc/a", 0)).isEqualTo(1);
    assertThat(w.due(999)).isEmpty();
    assertThat(w.due(1000)).containsExactly(new FailedRealtimeWork.Due("/etc/a", "boom", true));
    w.retryLater("/etc/a", 1000);
    assertThat(w.due(2999)).isEmpty();
    assertThat(w.due(3000)).hasSize(1);
    for (int i = 0; i < 20; i++) {
      w.retryLater("/etc/a", 0);
    }
    assertThat(w.due(59_999)).as("capped at 60 s").isEmpty();
    assertThat(w.due(60_000)).hasSize(1);
    w.add("/etc/b", "other");
    assertThat(w.due(0)).extracting(FailedRealtimeWork.Due::path).containsExactly("/etc/b");
    w.done("/etc/a");
    w.done("/etc/b");
    assertThat(w.size()).isZero();
  }
}
