package io.kubefim.agent;

import io.kubefim.api.compile.PolicyCompiler;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.policy.PolicyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** A Windows node's compiled config, as config-service would serve it (issue 15). */
public final class WindowsConfigs {
  /** The example policy: the seed's 8 files and 15 registry keys, for Windows nodes. */
  public static final Path RECOMMENDED =
      Path.of("..", "examples", "policies", "windows-recommended.yaml");

  private WindowsConfigs() {}

  /** {@link #RECOMMENDED} compiled for Windows node {@code node}. */
  public static AgentConfig recommended(String node) {
    try {
      return PolicyCompiler.compile(
          PolicyFiles.load(RECOMMENDED).policies(), node, Map.of("kubernetes.io/os", "windows"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
