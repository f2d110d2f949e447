package io.kubefim.api.expect;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * One scheduled maintenance window: it opens at each start of its {@link CronSchedule} and stays
 * open for {@code duration} of elapsed time (a 2h window that spans a daylight saving change is
 * still two real hours). The window is open over {@code [start, start + duration)}.
 *
 * <p>When starts come closer together than the duration (an hourly schedule with a 2h duration),
 * the occurrences overlap; the one that opened first is the open one until it ends, then the next.
 * So each occurrence closes at its own end, and a change belongs to exactly one occurrence.
 * Immutable and thread-safe.
 *
 * @param name the window's name ({@code ExpectedReason} {@code MaintenanceWindow:<name>})
 * @param schedule when it opens
 * @param duration how long it stays open, positive
 */
public record MaintenanceWindow(String name, CronSchedule schedule, Duration duration) {
  /** The longest window a policy may declare (PolicyValidator says why). */
  public static final Duration MAX_DURATION = Duration.ofDays(7);

  public MaintenanceWindow {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(schedule, "schedule");
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive: " + duration);
    }
  }

  /**
   * Parses a window as a policy writes it.
   *
   * @throws IllegalArgumentException when the schedule or duration is invalid, or the zone unknown
   */
  public static MaintenanceWindow of(String name, String schedule, Duration duration, String zone) {
    return new MaintenanceWindow(
        name, CronSchedule.parse(schedule, ZoneId.of(zone == null ? "UTC" : zone)), duration);
  }

  /** The occurrence open at {@code t}, or null when the window is closed then. */
  public Occurrence openAt(Instant t) {
    // an occurrence starting at s is open at t when t - duration < s <= t: the first such s
    Instant s = schedule.next(t.minus(duration).plusNanos(1), t);
    return s == null ? null : new Occurrence(name, s, s.plus(duration));
  }

  /**
   * One open period of a window.
   *
   * @param name the window's name ({@link MaintenanceWindows#ADHOC} for the ad-hoc one)
   * @param opened when it opened (for the ad-hoc window: null, the annotation says only its end)
   * @param ends when it closes (exclusive)
   */
  public record Occurrence(String name, Instant opened, Instant ends) {}
}
