package io.kubefim.api.policy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the Go duration syntax that {@link FimPolicySpec#DURATION_PATTERN} admits and Kubernetes
 * CEL's {@code duration()} understands: one or more {@code <number><unit>} terms, units {@code ns
 * us ms s m h}, fractions allowed ({@code 1.5h}, {@code 1h30m}, {@code 500ms}). No sign, no bare
 * {@code 0}, no {@code d}. Pure and thread-safe.
 */
public final class Durations {
  private static final Pattern WHOLE = Pattern.compile(FimPolicySpec.DURATION_PATTERN);
  private static final Pattern TERM = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|ms|s|m|h)");
  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  /** Go's limit: a duration is an int64 of nanoseconds (about 292 years). */
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private Durations() {}

  /**
   * Parses {@code text}, e.g. {@code 6h} or {@code 1h30m}.
   *
   * @throws IllegalArgumentException with a message fit for a {@link ValidationProblem}, when the
   *     text is null, not Go duration syntax, or longer than Go's int64 nanoseconds
   */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "not a duration: \"" + text + "\" (expected e.g. 500ms, 90s, 5m, 6h, 1h30m)");
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher m = TERM.matcher(text);
    while (m.find()) {
      nanos =
          nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
    }
    BigInteger whole = nanos.toBigInteger(); // Go truncates sub-nanosecond fractions too
    if (whole.compareTo(MAX_NANOS) > 0) {
      throw new IllegalArgumentException("duration out of range: \"" + text + "\"");
    }
    return Duration.ofNanos(whole.longValueExact());
  }

  private static long unitNanos(String unit) {
    return NANOS_PER_UNIT.get(unit);
  }
}
