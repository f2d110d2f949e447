package io.kubefim.api.compile;

import static io.kubefim.api.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentConfig.AppliedPolicy;
import io.kubefim.api.config.AgentConfig.Window;
import io.kubefim.api.json.Json;
import io.kubefim.api.policy.FimPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the agent learns of a policy's windows and expected processes (issue 17). */
class ExpectationCompilerTest {
  @Test
  void carriesWindowsTheAdhocEndAndExpectedProcessesWithDefaultsResolved() {
    FimPolicy p =
        policy(
            "p",
            3,
            "rules: [{paths: [/etc]}]\n"
                + "maintenanceWindows: [{name: sun, schedule: '0 2 * * 0', duration: 1h30m},"
                + " {name: ams, schedule: '0 3 * * *', duration: 2h, timeZone: Europe/Amsterdam}]\n"
                + "expectedProcesses: [/usr/local/bin/configurator]");
    p.getMetadata()
        .setAnnotations(Map.of("kubefim.io/maintenance-until", "2026-03-14T19:00:00+01:00"));

    AgentConfig c = PolicyCompiler.compile(List.of(p), "n", Map.of());

    AppliedPolicy a = c.policies().get(0);
    assertThat(a.maintenanceWindows())
        .containsExactly(
            new Window("sun", "0 2 * * 0", 5400, "UTC"),
            new Window("ams", "0 3 * * *", 7200, "Europe/Amsterdam"));
    assertThat(a.maintenanceUntil()).isEqualTo("2026-03-14T18:00:00Z");
    assertThat(a.expectedProcesses()).containsExactly("/usr/local/bin/configurator");
    assertThat(ExpectationCompiler.windows(a).openAt(Instant.parse("2026-03-14T17:59:59Z")).name())
        .isEqualTo("adhoc");
  }

  @Test
  void aPolicyWithoutThemWritesAndVersionsAsBefore() throws Exception {
    FimPolicy p = policy("p", 3, "rules: [{paths: [/etc]}]");

    AgentConfig c = PolicyCompiler.compile(List.of(p), "n", Map.of());
    String json = Json.mapper().writeValueAsString(c);

    assertThat(c.policies()).containsExactly(new AppliedPolicy("p", 3));
    assertThat(json).doesNotContain("maintenance").doesNotContain("expectedProcesses");
    AgentConfig old =
        new AgentConfig(
            AgentConfig.FORMAT_VERSION, null, "n", List.of(new AppliedPolicy("p", 3)), c.rules());
    assertThat(c.version()).isEqualTo(ConfigVersion.of(old));
    assertThat(Json.mapper().readValue(json, AgentConfig.class)).isEqualTo(c);
  }

  @Test
  void theVersionChangesWhenAWindowDoes() {
    String rules = "rules: [{paths: [/etc]}]\n";
    String v1 =
        PolicyCompiler.compile(
                List.of(
                    policy(
                        "p",
                        rules
                            + "maintenanceWindows: [{name: a, schedule: '0 2 * * 0', duration: 1h}]")),
                "n",
                Map.of())
            .version();
    String v2 =
        PolicyCompiler.compile(
                List.of(
                    policy(
                        "p",
                        rules
                            + "maintenanceWindows: [{name: a, schedule: '0 3 * * 0', duration: 1h}]")),
                "n",
                Map.of())
            .version();
    String none = PolicyCompiler.compile(List.of(policy("p", rules)), "n", Map.of()).version();
    assertThat(v1).isNotEqualTo(v2).isNotEqualTo(none);
  }
}
