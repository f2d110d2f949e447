package io.kubefim.api.expect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The maintenance windows of one policy: its scheduled {@link MaintenanceWindow}s and the ad-hoc
 * window that the annotation {@value #UNTIL_ANNOTATION} opens until a given time. Pure, immutable
 * and thread-safe.
 *
 * <p>Which window is open at an instant, when several are: the ad-hoc window first (a person said
 * "we patch now"; it has no start to compare), then the scheduled occurrence that opened first,
 * ties broken by window name. The answer depends only on the windows and the instant.
 *
 * @param windows the scheduled windows
 * @param adhocUntil the end of the ad-hoc window, null when there is none
 */
public record MaintenanceWindows(List<MaintenanceWindow> windows, Instant adhocUntil) {
  /** The annotation on a FimPolicy that opens the ad-hoc window, an RFC 3339 time. */
  public static final String UNTIL_ANNOTATION = "kubefim.io/maintenance-until";

  /** The ad-hoc window's name, reserved: no scheduled window may take it. */
  public static final String ADHOC = "adhoc";

  public static final MaintenanceWindows NONE = new MaintenanceWindows(List.of(), null);

  public MaintenanceWindows {
    windows = windows == null ? List.of() : List.copyOf(windows);
  }

  /** The window open at {@code t} by the rule in the class comment, or null when none is. */
  public MaintenanceWindow.Occurrence openAt(Instant t) {
    if (adhocUntil != null && t.isBefore(adhocUntil)) {
      return new MaintenanceWindow.Occurrence(ADHOC, null, adhocUntil);
    }
    MaintenanceWindow.Occurrence best = null;
    for (MaintenanceWindow w : windows) {
      MaintenanceWindow.Occurrence o = w.openAt(t);
      if (o != null && (best == null || FIRST_OPENED.compare(o, best) < 0)) {
        best = o;
      }
    }
    return best;
  }

  /**
   * Every window open at {@code t}, the ad-hoc one first, then in declaration order: what an agent
   * tracks to write one MaintenanceWindowClosed per occurrence, overlapping ones included.
   */
  public List<MaintenanceWindow.Occurrence> allOpenAt(Instant t) {
    List<MaintenanceWindow.Occurrence> open = new ArrayList<>();
    if (adhocUntil != null && t.isBefore(adhocUntil)) {
      open.add(new MaintenanceWindow.Occurrence(ADHOC, null, adhocUntil));
    }
    for (MaintenanceWindow w : windows) {
      MaintenanceWindow.Occurrence o = w.openAt(t);
      if (o != null) {
        open.add(o);
      }
    }
    return open;
  }

  /** True when there is no window at all. */
  public boolean isEmpty() {
    return windows.isEmpty() && adhocUntil == null;
  }

  private static final Comparator<MaintenanceWindow.Occurrence> FIRST_OPENED =
      Comparator.comparing(MaintenanceWindow.Occurrence::opened)
          .thenComparing(MaintenanceWindow.Occurrence::name);
}
