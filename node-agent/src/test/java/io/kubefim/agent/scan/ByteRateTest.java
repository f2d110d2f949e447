package io.kubefim.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scan's byte rate on a virtual clock: the waits it asks for, not wall time. */
class ByteRateTest {
  private static final long MIB = 1 << 20;

  private long now = 1_000_000_000L;
  private final List<Long> waits = new ArrayList<>();

  private ByteRate rate(long bytesPerSecond) {
    return new ByteRate(
        bytesPerSecond,
        () -> now,
        nanos -> {
          waits.add(nanos);
          now += nanos; // the sleeper's time passes
        });
  }

  @Test
  void readingFasterThanTheRateWaitsForIt() throws Exception {
    ByteRate r = rate(50 * MIB);
    for (int i = 0; i < 400; i++) {
      r.spend(128 * 1024); // 50 MiB in 128 KiB reads that take no time
    }
    // 50 MiB at 50 MiB/s is one second, less the 50 ms of credit an idle budget starts with
    assertThat(now - 1_000_000_000L).isBetween(949_000_000L, 951_000_000L);
  }

  @Test
  void aSlowReaderNeverWaits() throws Exception {
    ByteRate r = rate(50 * MIB);
    for (int i = 0; i < 10; i++) {
      now += 10_000_000L; // 10 ms a read of 128 KiB: 12.5 MiB/s
      r.spend(128 * 1024);
    }
    assertThat(waits).isEmpty();
  }

  @Test
  void idleTimeIsCreditedForAtMostTheBurst() throws Exception {
    ByteRate r = rate(10 * MIB);
    r.spend(MIB); // 100 ms of budget, 50 of them credit
    now += 60_000_000_000L; // a minute without reading
    waits.clear();
    long before = now;
    r.spend(2 * MIB); // 200 ms of budget: the minute is credit for 50 ms only
    assertThat(now - before).isBetween(149_000_000L, 151_000_000L);
  }

  @Test
  void threadsShareOneRate() throws Exception {
    ByteRate r = rate(MIB);
    r.spend(MIB / 2);
    r.spend(MIB / 2); // two readers, one budget: one second for the MiB, less the credit
    assertThat(now - 1_000_000_000L).isBetween(949_000_000L, 951_000_000L);
  }

  @Test
  void aRateMustBePositive() {
    assertThatThrownBy(() -> new ByteRate(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }
}
