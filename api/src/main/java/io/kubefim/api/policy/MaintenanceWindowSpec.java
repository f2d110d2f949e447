package io.kubefim.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One entry of {@code spec.maintenanceWindows} (issue 17): changes inside the window are kept and
 * labelled {@code ChangeExpected}, {@code ExpectedReason=MaintenanceWindow:<name>}. Compiled by
 * {@code io.kubefim.api.expect.MaintenanceWindow}; checked by {@link PolicyValidator}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaintenanceWindowSpec {
  /** A window name: a DNS label, so it reads well in {@code MaintenanceWindow:<name>}. */
  public static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  public static final int MAX_NAME_LENGTH = 63;
  public static final int MAX_SCHEDULE_LENGTH = 128;
  public static final int MAX_TIME_ZONE_LENGTH = 64;

  @Required
  @Pattern(NAME_PATTERN)
  @Size(min = 1, max = MAX_NAME_LENGTH)
  @ValidationRule(
      value = "self != 'adhoc'",
      message = "the window name adhoc is reserved for the kubefim.io/maintenance-until window")
  @JsonPropertyDescription(
      "The window's name, unique in the policy (lowercase letters, digits, '-'); events inside"
          + " it say ExpectedReason=MaintenanceWindow:<name>. 'adhoc' is reserved.")
  private String name;

  @Required
  @Size(min = 1, max = MAX_SCHEDULE_LENGTH)
  @Pattern("^\\s*\\S+(\\s+\\S+){4}\\s*$")
  @JsonPropertyDescription(
      "When the window opens: five cron fields, minute hour day-of-month month day-of-week, with"
          + " *, lists, ranges and steps, e.g. \"0 2 * * 0\" (Sundays 02:00), in timeZone.")
  private String schedule;

  @Required
  @Pattern(FimPolicySpec.DURATION_PATTERN)
  @Size(max = FimPolicySpec.MAX_DURATION_LENGTH)
  @ValidationRule(
      value = "duration(self) > duration('0s') && duration(self) <= duration('168h')",
      message = "duration must be more than 0 and at most 168h (7 days)")
  @JsonPropertyDescription(
      "How long the window stays open after each start (Go duration, e.g. 2h, 90m), more than 0"
          + " and at most 168h (7 days). Elapsed time: a daylight saving change does not stretch"
          + " it.")
  private String duration;

  @Size(min = 1, max = MAX_TIME_ZONE_LENGTH)
  @Pattern("^[A-Za-z0-9_+\\-/]+$")
  @JsonPropertyDescription(
      "IANA time zone the schedule is read in, e.g. Europe/Amsterdam. Default UTC.")
  private String timeZone;

  public MaintenanceWindowSpec() {}

  public MaintenanceWindowSpec(String name, String schedule, String duration, String timeZone) {
    this.name = name;
    this.schedule = schedule;
    this.duration = duration;
    this.timeZone = timeZone;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public String getDuration() {
    return duration;
  }

  public void setDuration(String duration) {
    this.duration = duration;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }
}
