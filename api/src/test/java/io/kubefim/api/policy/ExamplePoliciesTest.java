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

  private static final Path WINDOWS_RECOMMENDED =
      Path.of("..", "examples", "policies", "windows-recommended.yaml");

  /** Defender for Cloud's recommended Windows files and registry keys (issue 15), word for word. */
  private static final List<String> DEFENDER_WINDOWS_FILES =
      List.of(
          "C:\\config.sys",
          "C:\\Windows\\regedit.exe",
          "C:\\Windows\\System32\\userinit.exe",
          "C:\\Windows\\explorer.exe",
          "C:\\autoexec.bat",
          "C:\\boot.ini",
          "C:\\Windows\\system.ini",
          "C:\\Windows\\win.ini");

  private static final List<String> DEFENDER_REGISTRY_KEYS =
      List.of(
          "SOFTWARE\\Microsoft\\Cryptography\\OID*",
          "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Windows",
          "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Shell Folders",
          "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\User Shell Folders",
          "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
          "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce",
          "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunServicesOnce");

  @Test
  void windowsRecommendedIsTheSeedsFilesAndKeysForWindowsNodesOnly() throws Exception {
    PolicyLoadResult loaded = PolicyFiles.load(WINDOWS_RECOMMENDED);
    assertThat(loaded.allProblems()).isEmpty();
    FimPolicySpec spec = loaded.policies().get(0).getSpec();
    assertThat(spec.getRules().get(0).getPaths()).containsExactlyElementsOf(DEFENDER_WINDOWS_FILES);
    List<String> keys = new java.util.ArrayList<>();
    for (String k : DEFENDER_REGISTRY_KEYS) {
      keys.add("HKLM\\" + k);
      keys.add("HKLM\\" + k.replace("SOFTWARE\\", "SOFTWARE\\WOW6432Node\\"));
    }
    keys.add("HKLM\\SECURITY\\POLICY\\SECRETS");
    assertThat(spec.getRules().get(1).getRegistry()).containsExactlyElementsOf(keys);

    AgentConfig windows =
        PolicyCompiler.compile(loaded.policies(), "win-1", Map.of("kubernetes.io/os", "windows"));
    assertThat(windows.rules()).hasSize(DEFENDER_WINDOWS_FILES.size() + keys.size());
    assertThat(windows.rules().stream().filter(AgentRule::registry).map(AgentRule::path))
        .hasSize(keys.size())
        .allMatch(p -> p.startsWith("HKEY_LOCAL_MACHINE\\"))
        .contains("HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\Cryptography\\OID*");
    assertThat(windows.rules().stream().filter(r -> !r.registry()).map(AgentRule::path))
        .containsExactlyInAnyOrderElementsOf(DEFENDER_WINDOWS_FILES);
    assertThat(windows.rules())
        .allMatch(r -> r.tags().equals(Map.of("baseline", "defender-recommended")));

    assertThat(PolicyCompiler.compile(loaded.policies(), "lin-1", Map.of()).rules()).isEmpty();
    assertThat(FleetPlanner.plan(loaded.policies()).isEmpty()).isTrue();
    FleetPlan plan = FleetPlanner.plan(loaded.policies(), io.kubefim.api.compile.NodeOs.WINDOWS);
    assertThat(plan.policyNames()).containsExactly("windows-recommended");
    assertThat(plan.hostMounts()).isEmpty();
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
