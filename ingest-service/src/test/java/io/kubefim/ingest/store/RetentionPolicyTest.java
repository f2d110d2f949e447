package io.kubefim.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetentionPolicyTest {
  static final Instant NOW = Instant.parse("2026-12-02T00:00:00Z");

  @ParameterizedTest(name = "max-events={0}, rows={1}: delete {2} oldest")
  @CsvSource({
    "100, 0, 0",
    "100, 99, 0",
    "100, 100, 0",
    "100, 101, 1",
    "100, 250, 150",
    "1, 1, 0",
    "1, 5000, 4999", // the newest row always stays
  })
  void theSizeBoundDeletesOnlyTheOldestBeyondTheLimit(long max, long rows, long excess) {
    assertThat(new RetentionPolicy(Duration.ofDays(90), max).excess(rows)).isEqualTo(excess);
  }

  @ParameterizedTest(name = "retention={0}: cutoff {1}")
  @CsvSource({
    "P90D, 2026-09-03T00:00:00Z",
    "PT1H, 2026-12-01T23:00:00Z",
    "PT0.001S, 2026-12-01T23:59:59.999Z",
  })
  void theAgeBoundCutsAtNowMinusRetention(Duration retention, Instant cutoff) {
    assertThat(new RetentionPolicy(retention, 10).cutoff(NOW)).isEqualTo(cutoff);
  }

  @Test
  void boundsThatWouldDeleteEverythingAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> new RetentionPolicy(Duration.ZERO, 10))
        .hasMessageContaining("kubefim.ingest.store.retention");
    assertThatThrownBy(() -> new RetentionPolicy(Duration.ofDays(-1), 10))
        .hasMessageContaining("kubefim.ingest.store.retention");
    assertThatThrownBy(() -> new RetentionPolicy(Duration.ofDays(1), 0))
        .hasMessageContaining("kubefim.ingest.store.max-events");
  }
}
