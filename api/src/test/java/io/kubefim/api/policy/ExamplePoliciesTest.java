package io.kubefim.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.compile.FleetPlan;
import io.kubefim.api.compile.FleetPlanner;
import io.kubefim.api.compile.PolicyCompiler;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentRule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped example policies load, validate and compile. Tests run from api/. */
class ExamplePoliciesTest {
  private static final Path LINUX_RECOMMENDED =
      Path.of("..", "examples", "policies", "linux-recommended.yaml");

  /** Defender for Cloud's recommended Linux paths, as Microsoft documents them. */
  private static final List<String> DEFENDER_PATHS =
      List.of(
          "/bin",
          "/bin/login",
          "/bin/passwd",
          "/boot",
          "/etc/*.conf",
          "/etc/cron.daily",
          "/etc/cron.hourly",
          "/etc/cron.monthly",
          "/etc/cron.weekly",
          "/etc/crontab",
          "/etc/init.d",
          "/opt/bin",
          "/opt/sbin",
          "/sbin",
          "/usr/bin",
          "/usr/local/bin",
          "/usr/local/sbin",
          "/usr/sbin");

  @Test
  void linuxRecommendedIsValidAndCompiles() throws Exception {
    PolicyLoadResult loaded = PolicyFiles.load(LINUX_RECOMMENDED);

    assertThat(loaded.allProblems()).isEmpty();
    assertThat(loaded.policies()).hasSize(1);

    AgentConfig config =
        PolicyCompiler.compile(loaded.policies(), "node-1", Map.of("kubernetes.io/os", "linux"));
    assertThat(config.policies())
        .extracting(AgentConfig.AppliedPolicy::name)
        .containsExactly("linux-recommended");
    assertThat(config.rules())
        .extracting(AgentRule::path)
        .containsExactlyElementsOf(DEFENDER_PATHS);
    assertThat(config.rules())
        .allSatisfy(
            r -> {
              assertThat(r.exclude()).containsExactly("*.swp", "*~");
              assertThat(r.recursive()).isTrue();
              assertThat(r.tags()).containsEntry("baseline", "defender-recommended");
            });

    FleetPlan plan = FleetPlanner.plan(loaded.policies());
    assertThat(plan.hostMounts()).containsExactly("/bin", "/boot", "/etc", "/opt", "/sbin", "/usr");
  }

  @Test
  void linuxRecommendedSkipsWindowsNodes() throws Exception {
    List<io.kubefim.api.policy.FimPolicy> policies = PolicyFiles.load(LINUX_RECOMMENDED).policies();

    assertThat(
            PolicyCompiler.compile(policies, "win-1", Map.of("kubernetes.io/os", "windows"))
                .rules())
        .isEmpty();
  }
}
