package io.kubefim.api.policy;

import static io.kubefim.api.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** spec.maintenanceWindows, spec.expectedProcesses and the maintenance-until annotation. */
class ExpectationValidationTest {
  private static final String RULES = "rules: [{paths: [/etc]}]\n";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "bad cron | maintenanceWindows: [{name: a, schedule: '0 2 * * 0', duration: 2h},"
            + " {name: b, schedule: '0 25 * * 0', duration: 2h}]"
            + " | spec.maintenanceWindows[1].schedule: hour field \"25\": 25 is out of range 0-23",
        "unknown zone | maintenanceWindows: [{name: a, schedule: '0 2 * * 0', duration: 2h,"
            + " timeZone: Mars/Olympus}]"
            + " | spec.maintenanceWindows[0].timeZone: unknown time zone \"Mars/Olympus\"",
        "zero duration | maintenanceWindows: [{name: a, schedule: '0 2 * * 0', duration: 0s}]"
            + " | spec.maintenanceWindows[0].duration: must be more than 0",
        "too long | maintenanceWindows: [{name: a, schedule: '0 2 * * 0', duration: 169h}]"
            + " | spec.maintenanceWindows[0].duration: must be at most 168h (7 days)",
        "duplicate | maintenanceWindows: [{name: a, schedule: '0 2 * * 0', duration: 1h},"
            + " {name: a, schedule: '0 3 * * 0', duration: 1h}]"
            + " | spec.maintenanceWindows[1].name: duplicate window name \"a\"",
        "empty name | maintenanceWindows: [{name: '', schedule: '0 2 * * 0', duration: 1h}]"
            + " | spec.maintenanceWindows[0].name: must be set",
        "reserved | maintenanceWindows: [{name: adhoc, schedule: '0 2 * * 0', duration: 1h}]"
            + " | spec.maintenanceWindows[0].name: adhoc is reserved",
        "relative exe | expectedProcesses: [/usr/bin/dpkg, usr/bin/apt]"
            + " | spec.expectedProcesses[1]: must be an absolute path",
        "bad glob | expectedProcesses: ['/opt/[a/bin']" + " | spec.expectedProcesses[0]: ",
      })
  void namesTheFieldAndWhatIsWrong(String what, String yaml, String problem) {
    assertThat(PolicyValidator.validate(policy("p", RULES + yaml)))
        .extracting(ValidationProblem::toString)
        .anySatisfy(p -> assertThat(p).startsWith(problem.trim()));
  }

  @ParameterizedTest
  @CsvSource({
    "2026-03-14T18:00:00Z,true",
    "2026-03-14T19:00:00+01:00,true",
    "tomorrow,false",
    "2026-03-14T18:00:00,false"
  })
  void checksTheMaintenanceUntilAnnotation(String value, boolean valid) {
    FimPolicy p = policy("p", RULES);
    p.getMetadata().setAnnotations(Map.of("kubefim.io/maintenance-until", value));

    assertThat(PolicyValidator.validate(p))
        .extracting(ValidationProblem::toString)
        .satisfies(
            problems -> {
              if (valid) {
                assertThat(problems).isEmpty();
              } else {
                assertThat(problems)
                    .singleElement()
                    .asString()
                    .startsWith(
                        "metadata.annotations[kubefim.io/maintenance-until]: not an RFC 3339"
                            + " time");
              }
            });
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "maintenanceWindows: [{name: patch-sunday, schedule: '0 2 * * 0', duration: 2h,"
            + " timeZone: Europe/Amsterdam}]",
        "expectedProcesses: [/usr/local/bin/configurator, '/opt/*/bin/updater']"
      })
  void acceptsGoodOnes(String yaml) {
    assertThat(PolicyValidator.validate(policy("p", RULES + yaml))).isEmpty();
  }
}
