package io.kubefim.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.kubefim.api.compile.PolicyCompiler;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.policy.PolicyFiles;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowsRegistryMonitorTest {
  /** A Windows node's config run elsewhere: its file rules apply, its registry rules wait. */
  @Test
  void offWindowsThereIsNoRegistryMonitorEvenWithRegistryRules() throws Exception {
    assumeFalse(WindowsRegistryMonitor.onWindows(), "this JVM runs on Windows");
    AgentConfig windowsNode =
        PolicyCompiler.compile(
            PolicyFiles.load(Path.of("..", "examples", "policies", "windows-recommended.yaml"))
                .policies(),
            "win-1",
            Map.of("kubernetes.io/os", "windows"));
    assertThat(windowsNode.rules()).anyMatch(AgentRule::registry);

    assertThat(WindowsRegistryMonitor.create(windowsNode, null, ev -> {}, null)).isNull();
  }
}
