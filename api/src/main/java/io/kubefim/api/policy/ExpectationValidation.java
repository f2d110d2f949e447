package io.kubefim.api.policy;

import io.kubefim.api.expect.CronSchedule;
import io.kubefim.api.expect.MaintenanceWindow;
import io.kubefim.api.expect.MaintenanceWindows;
import io.kubefim.api.glob.GlobSyntaxException;
import io.kubefim.api.glob.PathGlob;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of issue 17's fields for {@link PolicyValidator}: {@code spec.maintenanceWindows},
 * {@code spec.expectedProcesses} and the annotation {@value MaintenanceWindows#UNTIL_ANNOTATION}.
 * Problems are added in document order with field paths like the others'.
 */
final class ExpectationValidation {
  private static final Pattern NAME = Pattern.compile(MaintenanceWindowSpec.NAME_PATTERN);

  private ExpectationValidation() {}

  static void validateSpec(FimPolicySpec spec, List<ValidationProblem> out) {
    List<MaintenanceWindowSpec> windows = spec.getMaintenanceWindows();
    if (windows != null) {
      if (windows.size() > FimPolicySpec.MAX_MAINTENANCE_WINDOWS) {
        out.add(
            new ValidationProblem(
                "spec.maintenanceWindows",
                "must have at most " + FimPolicySpec.MAX_MAINTENANCE_WINDOWS + " windows"));
      }
      Set<String> names = new HashSet<>();
      for (int i = 0; i < windows.size(); i++) {
        window(windows.get(i), "spec.maintenanceWindows[" + i + "]", names, out);
      }
    }
    List<String> exes = spec.getExpectedProcesses();
    if (exes != null) {
      if (exes.size() > FimPolicySpec.MAX_EXPECTED_PROCESSES) {
        out.add(
            new ValidationProblem(
                "spec.expectedProcesses",
                "must have at most " + FimPolicySpec.MAX_EXPECTED_PROCESSES + " paths"));
      }
      for (int i = 0; i < exes.size(); i++) {
        String problem = exeProblem(exes.get(i));
        if (problem != null) {
          out.add(new ValidationProblem("spec.expectedProcesses[" + i + "]", problem));
        }
      }
    }
  }

  /** Checks the ad-hoc window's annotation, when the policy has it. */
  static void validateAnnotations(Map<String, String> annotations, List<ValidationProblem> out) {
    if (annotations == null || !annotations.containsKey(MaintenanceWindows.UNTIL_ANNOTATION)) {
      return;
    }
    String at = "metadata.annotations[" + MaintenanceWindows.UNTIL_ANNOTATION + "]";
    String value = annotations.get(MaintenanceWindows.UNTIL_ANNOTATION);
    if (parseUntil(value) == null) {
      out.add(
          new ValidationProblem(
              at,
              "not an RFC 3339 time: \""
                  + value
                  + "\" (expected e.g. 2026-03-14T18:00:00Z or 2026-03-14T19:00:00+01:00)"));
    }
  }

  /** The annotation's time, or null when it is not RFC 3339 (date, time and offset). */
  static Instant parseUntil(String value) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static void window(
      MaintenanceWindowSpec w, String at, Set<String> names, List<ValidationProblem> out) {
    if (w == null) {
      out.add(new ValidationProblem(at, "must not be null"));
      return;
    }
    String name = w.getName();
    if (name == null || name.isEmpty()) {
      out.add(new ValidationProblem(at + ".name", "must be set"));
    } else if (MaintenanceWindows.ADHOC.equals(name)) {
      out.add(
          new ValidationProblem(
              at + ".name",
              "adhoc is reserved for the window the annotation "
                  + MaintenanceWindows.UNTIL_ANNOTATION
                  + " opens: choose another name"));
    } else if (name.length() > MaintenanceWindowSpec.MAX_NAME_LENGTH
        || !NAME.matcher(name).matches()) {
      out.add(
          new ValidationProblem(
              at + ".name",
              "must be lowercase letters, digits and '-' (starting and ending with a letter or"
                  + " digit), at most 63 characters"));
    } else if (!names.add(name)) {
      out.add(new ValidationProblem(at + ".name", "duplicate window name \"" + name + "\""));
    }
    ZoneId zone = ZoneId.of("UTC");
    if (w.getTimeZone() != null) {
      try {
        zone = ZoneId.of(w.getTimeZone());
      } catch (DateTimeException e) {
        zone = null;
        out.add(
            new ValidationProblem(
                at + ".timeZone",
                "unknown time zone \""
                    + w.getTimeZone()
                    + "\" (an IANA id, e.g. Europe/Amsterdam)"));
      }
    }
    if (w.getSchedule() == null || w.getSchedule().isBlank()) {
      out.add(new ValidationProblem(at + ".schedule", "must be set, e.g. \"0 2 * * 0\""));
    } else if (w.getSchedule().length() > MaintenanceWindowSpec.MAX_SCHEDULE_LENGTH) {
      out.add(new ValidationProblem(at + ".schedule", "must be at most 128 characters long"));
    } else {
      try {
        CronSchedule.parse(w.getSchedule(), zone == null ? ZoneId.of("UTC") : zone);
      } catch (IllegalArgumentException e) {
        out.add(new ValidationProblem(at + ".schedule", e.getMessage()));
      }
    }
    if (w.getDuration() == null) {
      out.add(new ValidationProblem(at + ".duration", "must be set, e.g. 2h"));
    } else if (w.getDuration().length() > FimPolicySpec.MAX_DURATION_LENGTH) {
      out.add(new ValidationProblem(at + ".duration", "must be at most 32 characters long"));
    } else {
      try {
        Duration d = Durations.parse(w.getDuration());
        if (d.isZero()) {
          out.add(new ValidationProblem(at + ".duration", "must be more than 0"));
        } else if (d.compareTo(MaintenanceWindow.MAX_DURATION) > 0) {
          out.add(
              new ValidationProblem(
                  at + ".duration",
                  "must be at most 168h (7 days): a longer window would label most changes"
                      + " expected"));
        }
      } catch (IllegalArgumentException e) {
        out.add(new ValidationProblem(at + ".duration", e.getMessage()));
      }
    }
  }

  /** Why {@code exe} is not a valid expectedProcesses entry, or null when it is. */
  static String exeProblem(String exe) {
    if (exe == null || exe.isEmpty()) {
      return "must not be empty";
    }
    if (exe.length() > FimRule.MAX_PATH_LENGTH) {
      return "must be at most " + FimRule.MAX_PATH_LENGTH + " characters long";
    }
    if (!exe.startsWith("/")) {
      return "must be an absolute path (the executable as the host sees it, e.g. /usr/bin/dpkg)";
    }
    for (String segment : exe.split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        return "must not contain . or .. segments";
      }
    }
    try {
      PathGlob.compile(exe);
    } catch (GlobSyntaxException e) {
      return e.getMessage();
    } catch (RuntimeException e) {
      return PolicyValidator.notCompilable(e);
    }
    return null;
  }
}
