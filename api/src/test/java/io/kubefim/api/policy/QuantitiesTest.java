package io.kubefim.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {

  @ParameterizedTest(name = "{0} = {1} bytes")
  @CsvSource({
    "64Mi, 67108864",
    "1Ki, 1024",
    "1Gi, 1073741824",
    "2Ti, 2199023255552",
    "1Pi, 1125899906842624",
    "1Ei, 1152921504606846976",
    "1k, 1000",
    "1M, 1000000",
    "1G, 1000000000",
    "3T, 3000000000000",
    "1P, 1000000000000000",
    "1E, 1000000000000000000",
    "0, 0",
    "1048576, 1048576",
    "1.5Gi, 1610612736",
    "0.5Ki, 512",
    "1e3, 1000",
    "2E6, 2000000",
    "1500m, 1.5",
    "+7, 7",
  })
  void parsesKubernetesQuantities(String text, String value) {
    assertThat(Quantities.parse(text)).isEqualByComparingTo(new BigDecimal(value));
  }

  @ParameterizedTest(name = "{0} = {1} bytes")
  @CsvSource({"64Mi, 67108864", "1e3, 1000", "2000m, 2", "0, 0"})
  void convertsWholeQuantitiesToBytes(String text, long bytes) {
    assertThat(Quantities.toBytes(text)).isEqualTo(bytes);
  }

  @ParameterizedTest(name = "\"{0}\" rejected")
  @NullAndEmptySource
  @ValueSource(strings = {"Mi", "64MB", "64 Mi", "64mi", "1KiB", "0x10", "1e", "--1", "64K"})
  void rejectsWhatIsNotAQuantity(String text) {
    assertThatThrownBy(() -> Quantities.parse(text)).hasMessageStartingWith("not a quantity");
  }

  @ParameterizedTest(name = "\"{0}\" is no byte count")
  @ValueSource(strings = {"-1", "-1Mi", "1500m", "0.1", "8Ei", "10E"})
  void toBytesRejectsNegativeFractionalAndOversized(String text) {
    assertThatThrownBy(() -> Quantities.toBytes(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
