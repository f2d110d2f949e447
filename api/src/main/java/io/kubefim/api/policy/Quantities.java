package io.kubefim.api.policy;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Kubernetes resource quantities ({@code 64Mi}, {@code 1G}, {@code 1.5Gi}, {@code 2e3},
 * {@code 1048576}) as the apimachinery {@code resource.Quantity} grammar defines them: a signed
 * decimal number followed by a binary suffix ({@code Ki Mi Gi Ti Pi Ei}), a decimal SI suffix
 * ({@code n u m k M G T P E}) or a decimal exponent ({@code e3}, {@code E-2}). Pure and
 * thread-safe.
 */
public final class Quantities {
  private static final Pattern QUANTITY =
      Pattern.compile(
          "^([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))"
              + "(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$");

  private static final Map<String, BigDecimal> SUFFIXES =
      Map.ofEntries(
          Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
          Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
          Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
          Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
          Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
          Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
          Map.entry("n", new BigDecimal("1e-9")),
          Map.entry("u", new BigDecimal("1e-6")),
          Map.entry("m", new BigDecimal("1e-3")),
          Map.entry("k", new BigDecimal("1e3")),
          Map.entry("M", new BigDecimal("1e6")),
          Map.entry("G", new BigDecimal("1e9")),
          Map.entry("T", new BigDecimal("1e12")),
          Map.entry("P", new BigDecimal("1e15")),
          Map.entry("E", new BigDecimal("1e18")));

  private Quantities() {}

  /**
   * The exact value of a quantity.
   *
   * @throws IllegalArgumentException when {@code text} is not a Kubernetes quantity
   */
  public static BigDecimal parse(String text) {
    Matcher m = text == null ? null : QUANTITY.matcher(text);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "not a quantity: \"" + text + "\" (expected e.g. 64Mi, 1Gi, 500k, 1048576)");
    }
    BigDecimal number = new BigDecimal(m.group(1));
    String suffix = m.group(2);
    if (suffix == null) {
      return number;
    }
    if (!SUFFIXES.containsKey(suffix)) { // a decimal exponent, e.g. e3 or E-2
      int exponent;
      try {
        exponent = Integer.parseInt(suffix.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("quantity exponent out of range: \"" + text + "\"");
      }
      return number.scaleByPowerOfTen(exponent);
    }
    return number.multiply(SUFFIXES.get(suffix));
  }

  /**
   * A quantity as a whole, non-negative number of bytes, e.g. {@code 64Mi} = 67108864.
   *
   * @throws IllegalArgumentException when {@code text} is not a quantity, is negative, is not a
   *     whole number of bytes, or does not fit a {@code long}
   */
  public static long toBytes(String text) {
    BigDecimal value = parse(text);
    if (value.signum() < 0) {
      throw new IllegalArgumentException("must not be negative: \"" + text + "\"");
    }
    try {
      return value.stripTrailingZeros().longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "must be a whole number of bytes that fits 63 bits: \"" + text + "\"");
    }
  }
}
