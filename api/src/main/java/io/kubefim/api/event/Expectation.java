package io.kubefim.api.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * Whether a change was expected (issue 17, SPEC §4): {@code ChangeExpected} true and why, in {@code
 * ExpectedReason}: {@code MaintenanceWindow:<name>}, {@code adhoc} (the window of the annotation
 * kubefim.io/maintenance-until), {@code PackageManager:<exe>} or {@code Process:<exe>}. Absent
 * means not expected. Nothing is dropped for being expected. Unwrapped into {@link FimEvent};
 * mutable, like the event.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"ChangeExpected", "ExpectedReason"})
public final class Expectation {
  public static final String MAINTENANCE_WINDOW = "MaintenanceWindow:";
  public static final String ADHOC = "adhoc";
  public static final String PACKAGE_MANAGER = "PackageManager:";
  public static final String PROCESS = "Process:";

  @JsonProperty("ChangeExpected")
  private Boolean changeExpected;

  @JsonProperty("ExpectedReason")
  private String expectedReason;

  public Boolean getChangeExpected() {
    return changeExpected;
  }

  public Expectation setChangeExpected(Boolean changeExpected) {
    this.changeExpected = changeExpected;
    return this;
  }

  public String getExpectedReason() {
    return expectedReason;
  }

  public Expectation setExpectedReason(String expectedReason) {
    this.expectedReason = expectedReason;
    return this;
  }

  /** Marks the change expected for {@code reason}. */
  public Expectation expect(String reason) {
    return setChangeExpected(true).setExpectedReason(Objects.requireNonNull(reason, "reason"));
  }

  /** {@code MaintenanceWindow:<name>}, or {@code adhoc} for the annotation's window. */
  public static String window(String name) {
    return ADHOC.equals(name) ? ADHOC : MAINTENANCE_WINDOW + name;
  }

  /** True when nothing is set (not expected). */
  @JsonIgnore
  public boolean isEmpty() {
    return changeExpected == null && expectedReason == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Expectation e
        && Objects.equals(changeExpected, e.changeExpected)
        && Objects.equals(expectedReason, e.expectedReason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(changeExpected, expectedReason);
  }
}
