package io.kubefim.agent.config;

import io.kubefim.api.compile.PolicyCompiler;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.policy.FileProblem;
import io.kubefim.api.policy.PolicyFiles;
import io.kubefim.api.policy.PolicyLoadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code --policies DIR}: the FimPolicy YAML files in DIR, read by the api module's {@link
 * PolicyFiles} and compiled for this node by {@link PolicyCompiler}. Local mode has no Kubernetes
 * node object: the node's labels are taken as {@code kubernetes.io/os=linux} and {@code
 * kubernetes.io/hostname=<node>}. Any problem in any policy rejects the whole directory (exit 64
 * for {@code check}): a half-applied policy set would silently monitor less than written.
 */
public final class PolicyDirConfigSource implements ConfigSource {
  private final Path dir;
  private final String node;

  public PolicyDirConfigSource(Path dir, String node) {
    this.dir = dir;
    this.node = node;
  }

  @Override
  public AgentConfig load() throws InvalidConfigException {
    if (!Files.isDirectory(dir)) {
      throw new InvalidConfigException("--policies " + dir + ": not a directory");
    }
    PolicyLoadResult result;
    try {
      result = PolicyFiles.load(dir);
    } catch (IOException e) {
      throw new InvalidConfigException("--policies " + dir + ": " + e.getMessage(), e);
    }
    if (!result.allProblems().isEmpty()) {
      throw new InvalidConfigException(
          result.allProblems().stream()
              .map(FileProblem::toString)
              .collect(Collectors.joining("\n  ", "\n  ", "")));
    }
    if (result.loaded().isEmpty()) {
      throw new InvalidConfigException("--policies " + dir + ": no FimPolicy found");
    }
    return PolicyCompiler.compile(
        result.policies(),
        node,
        Map.of("kubernetes.io/os", "linux", "kubernetes.io/hostname", node));
  }
}
