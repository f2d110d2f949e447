package io.kubefim.api.compile;

import io.kubefim.api.config.AgentConfig.AppliedPolicy;
import io.kubefim.api.config.AgentConfig.Window;
import io.kubefim.api.expect.MaintenanceWindow;
import io.kubefim.api.expect.MaintenanceWindows;
import io.kubefim.api.policy.Durations;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.FimPolicySpec;
import io.kubefim.api.policy.MaintenanceWindowSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The issue 17 part of an {@link AppliedPolicy}: a valid policy's maintenance windows (defaults
 * resolved: time zone UTC), its ad-hoc window's end and its expectedProcesses. Pure; called by
 * {@link PolicyCompiler} for each applied policy, so the compiler itself changes by one line.
 */
public final class ExpectationCompiler {
  private ExpectationCompiler() {}

  /** {@code policy} applied at {@code generation}, with what it declares expected. */
  static AppliedPolicy applied(FimPolicy policy, String name, long generation) {
    FimPolicySpec spec = policy.getSpec();
    List<Window> windows = new ArrayList<>();
    if (spec.getMaintenanceWindows() != null) {
      for (MaintenanceWindowSpec w : spec.getMaintenanceWindows()) {
        windows.add(
            new Window(
                w.getName(),
                w.getSchedule().trim(),
                Durations.parse(w.getDuration()).getSeconds(),
                w.getTimeZone() == null ? "UTC" : w.getTimeZone()));
      }
    }
    Map<String, String> annotations = policy.getMetadata().getAnnotations();
    String until =
        annotations == null ? null : annotations.get(MaintenanceWindows.UNTIL_ANNOTATION);
    return new AppliedPolicy(
        name,
        generation,
        windows,
        until == null ? null : OffsetDateTime.parse(until.trim()).toInstant().toString(),
        spec.getExpectedProcesses() == null ? List.of() : spec.getExpectedProcesses());
  }

  /** The windows an agent evaluates for {@code policy} (the inverse of {@link #applied}). */
  public static MaintenanceWindows windows(AppliedPolicy policy) {
    List<MaintenanceWindow> windows = new ArrayList<>();
    for (Window w : policy.maintenanceWindows()) {
      windows.add(
          MaintenanceWindow.of(
              w.name(), w.schedule(), Duration.ofSeconds(w.durationSeconds()), w.timeZone()));
    }
    Instant until =
        policy.maintenanceUntil() == null ? null : Instant.parse(policy.maintenanceUntil());
    return windows.isEmpty() && until == null
        ? MaintenanceWindows.NONE
        : new MaintenanceWindows(windows, until);
  }
}
