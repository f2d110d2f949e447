package io.kubefim.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.agent.scan.ByteRate;
import io.kubefim.agent.scan.ReadBudget;
import io.kubefim.agent.scan.ThreadPriority;
import io.kubefim.api.config.ScanBudget;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** The scan lane is made from the node's budget; the realtime lane has none. */
class HashLaneTest {
  @Test
  void scanThreadsRunAtTheBudgetsPriorityAndCount() throws Exception {
    HashLane lane = HashLane.forScans(new ScanBudget(50L << 20, 1, 15, ScanBudget.IDLE));
    try {
      int[] seen =
          lane.pool()
              .submit(
                  () ->
                      new int[] {
                        ThreadPriority.nice(), ThreadPriority.ioClassOf(ThreadPriority.ioPriority())
                      })
              .get();
      assertThat(seen).containsExactly(15, 3);
      assertThat(lane.pool().getParallelism()).isEqualTo(1);
      assertThat(lane.budget()).isInstanceOf(ByteRate.class);
      assertThat(((ByteRate) lane.budget()).bytesPerSecond()).isEqualTo(50L << 20);
      // 50 MiB/s on one thread is above a file system's stall rate: the deadline stays as it was
      assertThat(lane.minReadRate()).isEqualTo(BatchHasher.MIN_READ_RATE);
    } finally {
      lane.close();
    }
  }

  @Test
  void aSlowBudgetGivesReadsMoreTimeBeforeTheyCountAsStalled() {
    HashLane lane = HashLane.forScans(new ScanBudget(2L << 20, 2, null, null));
    try {
      assertThat(lane.minReadRate()).isEqualTo((2L << 20) / 2 / 2);
    } finally {
      lane.close();
    }
  }

  @Test
  void withoutABudgetReadsAreNotPaced() {
    HashLane scans = HashLane.forScans(ScanBudget.NONE);
    try {
      assertThat(scans.budget()).isSameAs(ReadBudget.NONE);
      assertThat(scans.pool().getParallelism())
          .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors()));
    } finally {
      scans.close();
    }
    assertThat(HashLane.unbudgeted(ForkJoinPool.commonPool()).budget()).isSameAs(ReadBudget.NONE);
  }
}
