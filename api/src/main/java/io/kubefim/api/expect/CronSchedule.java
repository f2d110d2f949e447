package io.kubefim.api.expect;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A five-field cron schedule ({@code minute hour day-of-month month day-of-week}), as crontab(5)
 * and Kubernetes CronJobs write it, evaluated in one time zone. Each field is {@code *}, a number,
 * a range {@code a-b}, a step {@code *}{@code /n}, {@code a-b/n} or {@code a/n} (from a to the
 * field's end), or a comma list of those. Months may be named {@code JAN}..{@code DEC}, weekdays
 * {@code SUN}..{@code SAT} (any case); weekday 0 and 7 are both Sunday. As in Vixie cron, when both
 * day-of-month and day-of-week are restricted (neither starts with {@code *}), a day matches when
 * either matches; otherwise both must. No {@code @daily}-style macros, no seconds, no {@code L},
 * {@code W}, {@code #} or {@code ?}.
 *
 * <p>Daylight saving, decided here once for every caller:
 *
 * <ul>
 *   <li>A local start time that does not exist (it falls in a spring-forward gap, e.g. 02:30 on the
 *       last Sunday of March in Europe/Amsterdam) starts at the end of the gap, the instant the
 *       clocks jump (03:00 local that day): the window is not skipped, it opens late, and lasts its
 *       full duration from there. Several starts in one gap are one start.
 *   <li>A local start time that exists twice (an autumn fall-back, e.g. 02:30 on the last Sunday of
 *       October) starts once, at its first occurrence (the earlier, summer-time offset): the local
 *       time matches once, as cron runs a job once.
 * </ul>
 *
 * Immutable and thread-safe.
 */
public final class CronSchedule {
  /** How far {@link #next} looks: four years and a day, so a 29 February start is found. */
  static final int HORIZON_DAYS = 4 * 366 + 1;

  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  private static final String[] FIELD_NAMES = {
    "minute", "hour", "day-of-month", "month", "day-of-week"
  };

  private final String text;
  private final ZoneId zone;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek; // 0 = Sunday .. 6 = Saturday
  private final boolean domRestricted;
  private final boolean dowRestricted;

  private CronSchedule(String text, ZoneId zone, BitSet[] f, boolean dom, boolean dow) {
    this.text = text;
    this.zone = zone;
    this.minutes = f[0];
    this.hours = f[1];
    this.daysOfMonth = f[2];
    this.months = f[3];
    this.daysOfWeek = f[4];
    this.domRestricted = dom;
    this.dowRestricted = dow;
  }

  /**
   * Parses {@code text} for time zone {@code zone}.
   *
   * @throws IllegalArgumentException with a message naming the field and what is wrong with it, fit
   *     for a validation problem
   */
  public static CronSchedule parse(String text, ZoneId zone) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    String[] parts = text.trim().split("\\s+");
    if (parts.length != 5) {
      throw new IllegalArgumentException(
          "must have 5 fields (minute hour day-of-month month day-of-week), e.g. \"0 2 * * 0\";"
              + " found "
              + parts.length);
    }
    BitSet[] f = new BitSet[5];
    f[0] = field(parts[0], 0, 0, 59, null);
    f[1] = field(parts[1], 1, 0, 23, null);
    f[2] = field(parts[2], 2, 1, 31, null);
    f[3] = field(parts[3], 3, 1, 12, MONTHS);
    BitSet dow = field(parts[4], 4, 0, 7, DAYS);
    if (dow.get(7)) {
      dow.clear(7);
      dow.set(0);
    }
    f[4] = dow;
    CronSchedule s =
        new CronSchedule(
            text.trim(), zone, f, !parts[2].startsWith("*"), !parts[4].startsWith("*"));
    if (!s.matchesSomeDate()) {
      throw new IllegalArgumentException(
          "day-of-month \"" + parts[2] + "\" never occurs in month \"" + parts[3] + "\"");
    }
    return s;
  }

  /** The schedule as written. */
  public String text() {
    return text;
  }

  public ZoneId zone() {
    return zone;
  }

  /**
   * The first start at or after {@code from} and at or before {@code until}, or null when there is
   * none (see the class comment for daylight saving).
   */
  public Instant next(Instant from, Instant until) {
    ZoneRules rules = zone.getRules();
    LocalDate first = LocalDate.ofInstant(from, zone).minusDays(1); // a gap maps starts forward
    LocalDate last = LocalDate.ofInstant(until, zone).plusDays(1);
    LocalDate stop = first.plusDays(HORIZON_DAYS);
    if (last.isAfter(stop)) {
      last = stop;
    }
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
      if (!matches(day)) {
        continue;
      }
      for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
        for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
          Instant start = toInstant(day.atTime(h, m), rules);
          if (start.isAfter(until)) {
            return null; // starts only grow with the local time (see toInstant)
          }
          if (!start.isBefore(from)) {
            return start;
          }
        }
      }
    }
    return null;
  }

  /**
   * The instant local time {@code t} starts at: in a gap, the gap's end; in an overlap, the earlier
   * offset. Non-decreasing in {@code t}, which {@link #next} relies on.
   */
  private Instant toInstant(LocalDateTime t, ZoneRules rules) {
    List<java.time.ZoneOffset> offsets = rules.getValidOffsets(t);
    if (offsets.isEmpty()) {
      ZoneOffsetTransition gap = rules.getTransition(t);
      return gap.getInstant();
    }
    return ZonedDateTime.ofLocal(t, zone, offsets.get(0)).toInstant();
  }

  private boolean matches(LocalDate day) {
    if (!months.get(day.getMonthValue())) {
      return false;
    }
    boolean dom = daysOfMonth.get(day.getDayOfMonth());
    boolean dow =
        daysOfWeek.get(day.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : day.getDayOfWeek().getValue());
    if (domRestricted && dowRestricted) {
      return dom || dow;
    }
    return dom && dow;
  }

  /** False for a schedule such as {@code 0 0 30 2 *}, whose days never come. */
  private boolean matchesSomeDate() {
    if (domRestricted && dowRestricted) {
      return true; // any matching weekday will do
    }
    int[] longest = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int month = months.nextSetBit(1); month >= 0; month = months.nextSetBit(month + 1)) {
      int firstDay = daysOfMonth.nextSetBit(1);
      if (firstDay >= 0 && firstDay <= longest[month]) {
        return true;
      }
    }
    return false;
  }

  private static BitSet field(String text, int index, int min, int max, List<String> names) {
    String name = FIELD_NAMES[index];
    BitSet set = new BitSet(max + 1);
    for (String item : text.split(",", -1)) {
      if (item.isEmpty()) {
        throw new IllegalArgumentException(name + " field \"" + text + "\": empty list item");
      }
      int step = 1;
      String range = item;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        range = item.substring(0, slash);
        step = number(item.substring(slash + 1), name, text, 1, max, null);
      }
      int lo;
      int hi;
      if (range.equals("*")) {
        lo = min;
        hi = max;
      } else {
        int dash = range.indexOf('-');
        if (dash >= 0) {
          lo = number(range.substring(0, dash), name, text, min, max, names);
          hi = number(range.substring(dash + 1), name, text, min, max, names);
          if (hi < lo) {
            throw new IllegalArgumentException(
                name + " field \"" + text + "\": range " + range + " runs backwards");
          }
        } else {
          lo = number(range, name, text, min, max, names);
          hi = slash >= 0 ? max : lo; // a/n: from a to the end, as Vixie cron reads it
        }
      }
      for (int v = lo; v <= hi; v += step) {
        set.set(v);
      }
    }
    return set;
  }

  private static int number(
      String s, String name, String field, int min, int max, List<String> names) {
    if (names != null) {
      int i = names.indexOf(s.toUpperCase(Locale.ROOT));
      if (i >= 0) {
        return i + (names == MONTHS ? 1 : 0);
      }
    }
    if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          name
              + " field \""
              + field
              + "\": \""
              + s
              + "\" is not a number"
              + (names == null
                  ? ""
                  : " or a name (" + names.get(0) + ".." + names.get(names.size() - 1) + ")"));
    }
    int v = Integer.parseInt(s);
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          name + " field \"" + field + "\": " + v + " is out of range " + min + "-" + max);
    }
    return v;
  }

  @Override
  public String toString() {
    return text + " (" + zone + ")";
  }
}
