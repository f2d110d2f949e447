package io.kubefim.api.policy;

import io.kubefim.api.config.ScanBudget;
import java.util.List;

/**
 * The checks of issue 18's scan budget fields for {@link PolicyValidator}: {@code spec.scanRate},
 * {@code spec.scanThreads}, {@code spec.scanNice}, {@code spec.scanIoClass}.
 */
final class ScanBudgetValidation {
  private static final long MIN_RATE = Quantities.toBytes(FimPolicySpec.MIN_SCAN_RATE);

  private ScanBudgetValidation() {}

  static void validateSpec(FimPolicySpec spec, List<ValidationProblem> out) {
    String rate = spec.getScanRate();
    Long bytes =
        PolicyValidator.byteQuantity(
            rate, "spec.scanRate", "byte rate", "bytes per second: ", "50Mi", out);
    if (bytes != null && bytes < MIN_RATE) {
      out.add(
          new ValidationProblem(
              "spec.scanRate",
              "must be at least " + FimPolicySpec.MIN_SCAN_RATE + " (got " + rate + ")"));
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
