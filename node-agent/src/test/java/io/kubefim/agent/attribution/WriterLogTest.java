package io.kubefim.agent.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WriterLogTest {
  private static Writer w(long pid, long start) {
    return new Writer(
        pid,
        new ProcessInfo(pid, start, null, 1, "w", "/bin/w", "w", 0, -1, CgroupIdentity.HOST, false),
        "init",
        null);
  }

  @Test
  void takesTheLastWriterAndCountsDistinctProcessesOnce() {
    WriterLog log = new WriterLog();
    log.record("/etc/a", w(10, 1), 0);
    log.record("/etc/a", w(11, 1), 1);
    log.record("/etc/a", w(10, 1), 2); // the same process again
    log.record("/etc/a", w(10, 99), 3); // pid 10 reused by another process

    WriterLog.Taken t = log.take("/etc/a", 4);

    assertThat(t.last().pid()).isEqualTo(10);
    assertThat(t.last().info().startTicks()).isEqualTo(99);
    assertThat(t.writers()).isEqualTo(3);
    WriterLog.Taken again = log.take("/etc/a", 5);
    assertThat(again.last().pid()).as("no new writer: the last one stands").isEqualTo(10);
    assertThat(again.writers()).isEqualTo(1);
    log.record("/etc/a", w(12, 1), 6);
    assertThat(log.take("/etc/a", 7).writers()).as("counted afresh after a take").isEqualTo(1);
    log.forget("/etc/a");
    assertThat(log.take("/etc/a", 8)).isNull();
  }

  @Test
  void forgetsWritesOlderThanTheTtlAndTheOldestBeyondTheBound() {
    WriterLog log = new WriterLog(2);
    log.record("/old", w(1, 1), 0);
    log.record("/b", w(2, 1), WriterLog.TTL_MILLIS);
    log.record("/c", w(3, 1), WriterLog.TTL_MILLIS + 1);
    log.record("/d", w(4, 1), WriterLog.TTL_MILLIS + 2);

    assertThat(log.take("/old", WriterLog.TTL_MILLIS + 3)).isNull(); // expired
    assertThat(log.take("/b", WriterLog.TTL_MILLIS + 3)).isNull(); // evicted for the bound
    assertThat(log.evicted()).isEqualTo(1);
    assertThat(log.take("/d", WriterLog.TTL_MILLIS + 3).last().pid()).isEqualTo(4);
  }
}
