package io.kubefim.api.policy;

import io.kubefim.api.config.ScanBudget;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks of issue 18's scan budget fields for {@link PolicyValidator}: {@code spec.scanRate},
 * {@code spec.scanThreads}, {@code spec.scanNice}, {@code spec.scanIoClass}.
 */
final class ScanBudgetValidation {
  private static final Pattern SIZE = Pattern.compile(FimRule.SIZE_PATTERN);
  private static final long MIN_RATE = Quantities.toBytes(FimPolicySpec.MIN_SCAN_RATE);

  private ScanBudgetValidation() {}

  static void validateSpec(FimPolicySpec spec, List<ValidationProblem> out) {
    String rate = spec.getScanRate();
    if (rate != null) {
      if (!SIZE.matcher(rate).matches()) {
        out.add(
            new ValidationProblem(
                "spec.scanRate",
                "not a byte rate: \""
                    + rate
                    + "\" (bytes per second: a whole number with an optional suffix Ki, Mi, Gi, Ti,"
                    + " k, M, G, T; e.g. 50Mi)"));
      } else {
        try {
          if (Quantities.toBytes(rate) < MIN_RATE) {
            out.add(
                new ValidationProblem(
                    "spec.scanRate",
                    "must be at least " + FimPolicySpec.MIN_SCAN_RATE + " (got " + rate + ")"));
          }
        } catch (IllegalArgumentException e) {
          out.add(new ValidationProblem("spec.scanRate", e.getMessage()));
        }
      }
    }
    range(spec.getScanThreads(), 1, FimPolicySpec.MAX_SCAN_THREADS, "spec.scanThreads", out);
    range(spec.getScanNice(), 0, 19, "spec.scanNice", out);
    String io = spec.getScanIoClass();
    if (io != null && !io.equals(ScanBudget.IDLE) && !io.equals(ScanBudget.BEST_EFFORT)) {
      out.add(
          new ValidationProblem(
              "spec.scanIoClass", "must be idle or best-effort (got \"" + io + "\")"));
    }
  }

  private static void range(
      Integer value, int min, int max, String field, List<ValidationProblem> out) {
    if (value != null && (value < min || value > max)) {
      out.add(
          new ValidationProblem(
              field, "must be from " + min + " to " + max + " (got " + value + ")"));
    }
  }
}
