package io.kubefim.api.expect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Window arithmetic (issue 17): time zones, daylight saving, across midnight, overlapping. */
class MaintenanceWindowTest {
  @ParameterizedTest(name = "{0} {1} in {2} at {3}: {4}")
  @CsvSource(
      delimiter = '|',
      value = {
        // schedule | duration | zone | instant | opened (or empty: closed) | ends
        "0 2 * * 0 | 2h | UTC | 2026-03-01T02:00:00Z | 2026-03-01T02:00:00Z | 2026-03-01T04:00:00Z",
        "0 2 * * 0 | 2h | UTC | 2026-03-01T03:59:59Z | 2026-03-01T02:00:00Z | 2026-03-01T04:00:00Z",
        "0 2 * * 0 | 2h | UTC | 2026-03-01T04:00:00Z | |",
        "0 2 * * 0 | 2h | UTC | 2026-03-01T01:59:59Z | |",
        "0 2 * * 0 | 2h | UTC | 2026-03-02T02:30:00Z | |", // Monday
        // Europe/Amsterdam is UTC+1 in winter: 02:00 local = 01:00Z
        "0 2 * * 0 | 2h | Europe/Amsterdam | 2026-03-01T01:30:00Z | 2026-03-01T01:00:00Z"
            + " | 2026-03-01T03:00:00Z",
        "0 2 * * 0 | 2h | Europe/Amsterdam | 2026-03-01T02:30:00Z | 2026-03-01T01:00:00Z"
            + " | 2026-03-01T03:00:00Z",
        "0 2 * * 0 | 2h | Europe/Amsterdam | 2026-03-01T03:00:00Z | |",
        // across midnight: 23:00 for 3h is open at 01:00 the next day
        "0 23 * * * | 3h | UTC | 2026-05-06T01:00:00Z | 2026-05-05T23:00:00Z | 2026-05-06T02:00:00Z",
        "0 23 * * 6 | 3h | UTC | 2026-05-10T01:59:00Z | 2026-05-09T23:00:00Z | 2026-05-10T02:00:00Z",
        // spring forward, Amsterdam 2026-03-29: 02:00-03:00 local does not exist; 02:30 opens at
        // the jump (01:00Z = 03:00 local) and lasts its full duration
        "30 2 * * * | 1h | Europe/Amsterdam | 2026-03-29T00:59:59Z | |",
        "30 2 * * * | 1h | Europe/Amsterdam | 2026-03-29T01:00:00Z | 2026-03-29T01:00:00Z"
            + " | 2026-03-29T02:00:00Z",
        // the day before: 02:30 CET = 01:30Z
        "30 2 * * * | 1h | Europe/Amsterdam | 2026-03-28T01:45:00Z | 2026-03-28T01:30:00Z"
            + " | 2026-03-28T02:30:00Z",
        // fall back, Amsterdam 2026-10-25: 02:30 local happens at 00:30Z (CEST) and 01:30Z (CET);
        // the window opens once, at the first
        "30 2 * * * | 30m | Europe/Amsterdam | 2026-10-25T00:45:00Z | 2026-10-25T00:30:00Z"
            + " | 2026-10-25T01:00:00Z",
        "30 2 * * * | 30m | Europe/Amsterdam | 2026-10-25T01:45:00Z | |",
        // New York: 2026-03-08 spring forward at 02:00 EST (07:00Z)
        "15 2 8 3 * | 1h | America/New_York | 2026-03-08T07:00:00Z | 2026-03-08T07:00:00Z"
            + " | 2026-03-08T08:00:00Z",
        // steps, lists, ranges, names
        "*/15 9-17 * * MON-FRI | 5m | UTC | 2026-05-06T09:47:00Z | 2026-05-06T09:45:00Z"
            + " | 2026-05-06T09:50:00Z",
        "*/15 9-17 * * MON-FRI | 5m | UTC | 2026-05-06T09:52:00Z | |",
        "0 0,12 1 jan,jul * | 1h | UTC | 2026-07-01T12:30:00Z | 2026-07-01T12:00:00Z"
            + " | 2026-07-01T13:00:00Z",
        "0 0 * * 7 | 1h | UTC | 2026-05-10T00:10:00Z | 2026-05-10T00:00:00Z"
            + " | 2026-05-10T01:00:00Z", // 7 = Sunday
        // day-of-month and day-of-week both restricted: either matches (Vixie cron)
        "0 0 13 * 5 | 1h | UTC | 2026-05-08T00:30:00Z | 2026-05-08T00:00:00Z"
            + " | 2026-05-08T01:00:00Z", // a Friday, not the 13th
        "0 0 13 * 5 | 1h | UTC | 2026-05-13T00:30:00Z | 2026-05-13T00:00:00Z"
            + " | 2026-05-13T01:00:00Z", // the 13th, a Wednesday
        "0 0 13 * 5 | 1h | UTC | 2026-05-12T00:30:00Z | |",
        // a leap day
        "0 0 29 2 * | 1h | UTC | 2028-02-29T00:30:00Z | 2028-02-29T00:00:00Z"
            + " | 2028-02-29T01:00:00Z",
        // a 7 day window opened last week is still open
        "0 0 1 * * | 168h | UTC | 2026-05-07T23:59:00Z | 2026-05-01T00:00:00Z"
            + " | 2026-05-08T00:00:00Z",
        // overlapping occurrences of one window: the first opened stays the open one until it ends
        "0 * * * * | 2h | UTC | 2026-05-06T10:30:00Z | 2026-05-06T09:00:00Z | 2026-05-06T11:00:00Z",
        "0 * * * * | 2h | UTC | 2026-05-06T11:00:00Z | 2026-05-06T10:00:00Z | 2026-05-06T12:00:00Z",
      })
  void opensAndEndsAsTheTableSays(
      String schedule, String duration, String zone, String at, String opened, String ends) {
    MaintenanceWindow w =
        MaintenanceWindow.of("w", schedule, io.kubefim.api.policy.Durations.parse(duration), zone);

    MaintenanceWindow.Occurrence o = w.openAt(Instant.parse(at));

    if (opened == null) {
      assertThat(o).isNull();
    } else {
      assertThat(o)
          .isEqualTo(
              new MaintenanceWindow.Occurrence("w", Instant.parse(opened), Instant.parse(ends)));
    }
  }

  @Test
  void ofOverlappingWindowsTheOneThatOpenedFirstIsOpenAndTheAdhocOneComesFirst() {
    MaintenanceWindow early =
        MaintenanceWindow.of("b-early", "0 1 * * *", Duration.ofHours(3), "UTC");
    MaintenanceWindow late =
        MaintenanceWindow.of("a-late", "0 2 * * *", Duration.ofHours(3), "UTC");
    MaintenanceWindow twin =
        MaintenanceWindow.of("a-twin", "0 1 * * *", Duration.ofHours(1), "UTC");
    Instant t = Instant.parse("2026-05-06T02:30:00Z");

    assertThat(new MaintenanceWindows(List.of(late, early), null).openAt(t).name())
        .isEqualTo("b-early");
    // same start: by name, whatever the order in the policy
    assertThat(
            new MaintenanceWindows(List.of(early, twin), null)
                .openAt(Instant.parse("2026-05-06T01:30:00Z"))
                .name())
        .isEqualTo("a-twin");
    assertThat(
            new MaintenanceWindows(List.of(late, early), null)
                .openAt(Instant.parse("2026-05-06T04:30:00Z"))
                .name())
        .isEqualTo("a-late"); // the early one ended at 04:00
    MaintenanceWindows withAdhoc =
        new MaintenanceWindows(List.of(late, early), Instant.parse("2026-05-06T03:00:00Z"));
    assertThat(withAdhoc.openAt(t))
        .isEqualTo(
            new MaintenanceWindow.Occurrence(
                MaintenanceWindows.ADHOC, null, Instant.parse("2026-05-06T03:00:00Z")));
    assertThat(withAdhoc.openAt(Instant.parse("2026-05-06T03:00:00Z")).name()).isEqualTo("b-early");
    assertThat(MaintenanceWindows.NONE.openAt(t)).isNull();
    // every open one, for the closing summaries: adhoc first, then as declared
    assertThat(withAdhoc.allOpenAt(t))
        .extracting(MaintenanceWindow.Occurrence::name)
        .containsExactly(MaintenanceWindows.ADHOC, "a-late", "b-early");
    assertThat(withAdhoc.allOpenAt(Instant.parse("2026-05-06T04:30:00Z")))
        .containsExactly(
            new MaintenanceWindow.Occurrence(
                "a-late",
                Instant.parse("2026-05-06T02:00:00Z"),
                Instant.parse("2026-05-06T05:00:00Z")));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0 2 * *         | must have 5 fields",
        "60 2 * * 0      | minute field \"60\": 60 is out of range 0-59",
        "0 24 * * 0      | hour field \"24\": 24 is out of range 0-23",
        "0 2 0 * *       | day-of-month field \"0\": 0 is out of range 1-31",
        "0 2 * 13 *      | month field \"13\": 13 is out of range 1-12",
        "0 2 * * 8       | day-of-week field \"8\": 8 is out of range 0-7",
        "0 2 * * MOM     | day-of-week field \"MOM\": \"MOM\" is not a number or a name (SUN..SAT)",
        "0 5-2 * * *     | hour field \"5-2\": range 5-2 runs backwards",
        "*/0 2 * * *     | minute field \"*/0\": 0 is out of range 1-59",
        "0,,5 2 * * *    | minute field \"0,,5\": empty list item",
        "0 0 30 2 *      | day-of-month \"30\" never occurs in month \"2\"",
      })
  void refusesABadScheduleNamingTheFieldAndWhatIsWrong(String schedule, String message) {
    assertThatThrownBy(() -> CronSchedule.parse(schedule, ZoneId.of("UTC")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void nextFindsEveryStartInOrderAcrossADaylightSavingGap() {
    CronSchedule every30 = CronSchedule.parse("*/30 * * * *", ZoneId.of("Europe/Amsterdam"));
    Instant t = Instant.parse("2026-03-29T00:00:00Z"); // 01:00 CET
    StringBuilder seen = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      t = every30.next(t, t.plus(Duration.ofDays(1)));
      seen.append(t).append(' ');
      t = t.plusSeconds(1);
    }
    // 01:00, 01:30 CET; 02:00 and 02:30 fall in the gap and collapse onto 03:00 CEST; then 03:30
    assertThat(seen.toString().trim())
        .isEqualTo(
            "2026-03-29T00:00:00Z 2026-03-29T00:30:00Z 2026-03-29T01:00:00Z 2026-03-29T01:30:00Z");
  }
}
