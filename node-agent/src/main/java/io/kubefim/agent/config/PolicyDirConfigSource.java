package io.kubefim.agent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.json.Json;
import io.kubefim.api.policy.FimPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code --policies DIR}: every {@code *.yaml}/{@code *.yml} file in DIR (multi-document allowed)
 * holding FimPolicy objects, compiled for this node. Other kinds in the files are ignored.
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
    List<FimPolicy> policies = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new InvalidConfigException("--policies " + dir + ": " + e.getMessage(), e);
    }
    ObjectMapper yaml = Json.yaml();
    for (Path f : files) {
      try (JsonParser parser = yaml.getFactory().createParser(f.toFile());
          MappingIterator<com.fasterxml.jackson.databind.JsonNode> docs =
              yaml.readValues(parser, com.fasterxml.jackson.databind.JsonNode.class)) {
        while (docs.hasNext()) {
          var node = docs.next();
          if (node == null || node.isNull() || node.isMissingNode()) {
            continue;
          }
          if (!FimPolicy.KIND.equals(node.path("kind").asText())) {
            continue;
          }
          policies.add(yaml.treeToValue(node, FimPolicy.class));
        }
      } catch (IOException | RuntimeException e) {
        problems.add(f.getFileName() + ": " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(String.join("; ", problems));
    }
    if (policies.isEmpty()) {
      throw new InvalidConfigException("--policies " + dir + ": no FimPolicy found");
    }
    return InterimPolicyCompiler.compile(policies, node);
  }
}
