package io.kubefim.agent.remote;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void ceilingDoublesUpToTheCap() {
    Backoff b = new Backoff(1000, 60_000);
    assertThat(b.ceiling(0)).isEqualTo(1000);
    assertThat(b.ceiling(1)).isEqualTo(2000);
    assertThat(b.ceiling(5)).isEqualTo(32_000);
    assertThat(b.ceiling(6)).isEqualTo(60_000);
    assertThat(b.ceiling(500)).isEqualTo(60_000);
  }

  @Test
  void fullJitterStaysUnderTheCeilingAndResets() {
    Backoff b = new Backoff(100, 1000);
    for (int i = 0; i < 100; i++) {
      long d = b.next();
      assertThat(d).isBetween(0L, 1000L);
    }
    assertThat(b.attempts()).isEqualTo(62);
    b.reset();
    assertThat(b.attempts()).isZero();
    assertThat(b.next()).isBetween(0L, 100L);
  }
}
