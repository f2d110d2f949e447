package io.kubefim.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "6h, PT6H",
    "5m, PT5M",
    "90s, PT1M30S",
    "500ms, PT0.5S",
    "1h30m, PT1H30M",
    "1.5h, PT1H30M",
    "2h45m30.5s, PT2H45M30.5S",
    "100us, PT0.0001S",
    "7ns, PT0.000000007S",
    "0s, PT0S",
    "1m1m, PT2M",
  })
  void parsesGoDurations(String text, String iso) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest(name = "\"{0}\" rejected")
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "6", "0", "-5m", "+5m", "1d", "5 m", "m", "1.h", ".5h", "1H", "1µs", "PT5M", "5m "
      })
  void rejectsWhatTheCrdPatternRejects(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a duration");
  }

  @ParameterizedTest(name = "{0} out of range")
  @ValueSource(strings = {"2562048h", "9223372036854775808ns"})
  void rejectsWhatOverflowsGoInt64Nanoseconds(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).hasMessageContaining("out of range");
  }

  @ParameterizedTest(name = "{0} fits")
  @ValueSource(strings = {"2562047h", "9223372036854775807ns"})
  void acceptsTheLargestGoDurations(String text) {
    assertThat(Durations.parse(text)).isLessThanOrEqualTo(Duration.ofNanos(Long.MAX_VALUE));
  }
}
