package io.kubefim.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** scanNice and scanIoClass lower the thread they are applied on, and only that thread. */
class ThreadPriorityTest {
  @Test
  void lowersTheCallingThreadOnly() throws Exception {
    int mine = ThreadPriority.nice();
    int[] seen = new int[3];
    Thread t =
        new Thread(
            () -> {
              ThreadPriority.lower(12, "idle");
              seen[0] = ThreadPriority.nice();
              seen[1] = ThreadPriority.ioClassOf(ThreadPriority.ioPriority());
            });
    t.start();
    t.join();
    seen[2] = ThreadPriority.nice();

    assertThat(seen[0]).isEqualTo(12);
    assertThat(seen[1]).as("IOPRIO_CLASS_IDLE").isEqualTo(3);
    assertThat(seen[2]).as("this thread's nice is unchanged").isEqualTo(mine);
  }

  @Test
  void bestEffortIsTheLowestLevel() throws Exception {
    int prio =
        CompletableFuture.supplyAsync(
                () -> {
                  ThreadPriority.lower(null, "best-effort");
                  return ThreadPriority.ioPriority();
                },
                r -> new Thread(r).start())
            .get();
    assertThat(ThreadPriority.ioClassOf(prio)).as("IOPRIO_CLASS_BE").isEqualTo(2);
    assertThat(prio & 0x1fff).as("level").isEqualTo(7);
  }
}
