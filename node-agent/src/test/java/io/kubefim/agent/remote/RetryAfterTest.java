package io.kubefim.agent.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");

  @Test
  void seconds() {
    assertThat(RetryAfter.parse("7", NOW)).contains(Duration.ofSeconds(7));
    assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
  }

  @Test
  void httpDate() {
    assertThat(RetryAfter.parse("Thu, 02 Jan 2025 03:04:35 GMT", NOW))
        .contains(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse("Thu, 02 Jan 2025 03:00:00 GMT", NOW)).contains(Duration.ZERO);
  }

  @Test
  void absentOrMalformed() {
    assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
    assertThat(RetryAfter.parse("-3", NOW)).isEmpty();
  }
}
