package io.kubefim.api.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.kubefim.api.policy.FimPolicySpec;
import io.kubefim.api.policy.Quantities;
import java.util.Collection;

/**
 * What a policy allows a scan to take from the node (issue 18): a byte rate, a number of hashing
 * threads, a nice value and an I/O scheduling class for those threads. Every field may be null (no
 * limit of that kind). Realtime work is never under it. When several policies apply to a node, the
 * strictest of each field wins ({@link #strictest}): the lowest rate, the fewest threads, the
 * highest nice, {@code idle} over {@code best-effort}.
 *
 * @param rateBytesPerSecond bytes a scan may read per second (policy field scanRate)
 * @param threads hashing threads of a scan (scanThreads)
 * @param nice nice value of those threads, 0 to 19 (scanNice)
 * @param ioClass I/O scheduling class of those threads: {@code idle} or {@code best-effort}
 *     (scanIoClass)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScanBudget(Long rateBytesPerSecond, Integer threads, Integer nice, String ioClass) {
  public static final String IDLE = "idle";
  public static final String BEST_EFFORT = "best-effort";
  public static final ScanBudget NONE = new ScanBudget(null, null, null, null);

  /** The budget a valid policy spec declares, null when it declares none. */
  public static ScanBudget of(FimPolicySpec spec) {
    ScanBudget b =
        new ScanBudget(
            spec.getScanRate() == null ? null : Quantities.toBytes(spec.getScanRate()),
            spec.getScanThreads(),
            spec.getScanNice(),
            spec.getScanIoClass());
    return b.isNone() ? null : b;
  }

  /** True when nothing is limited. */
  @JsonIgnore
  public boolean isNone() {
    return rateBytesPerSecond == null && threads == null && nice == null && ioClass == null;
  }

  /** The strictest of each field over {@code budgets} (nulls skipped); {@link #NONE} if empty. */
  public static ScanBudget strictest(Collection<ScanBudget> budgets) {
    Long rate = null;
    Integer threads = null;
    Integer nice = null;
    String io = null;
    for (ScanBudget b : budgets) {
      if (b == null) {
        continue;
      }
      if (b.rateBytesPerSecond != null) {
        rate = rate == null ? b.rateBytesPerSecond : Math.min(rate, b.rateBytesPerSecond);
      }
      if (b.threads != null) {
        threads = threads == null ? b.threads : Math.min(threads, b.threads);
      }
      if (b.nice != null) {
        nice = nice == null ? b.nice : Math.max(nice, b.nice);
      }
      if (b.ioClass != null) {
        io = IDLE.equals(io) || IDLE.equals(b.ioClass) ? IDLE : b.ioClass;
      }
    }
    return new ScanBudget(rate, threads, nice, io);
  }
}
