package io.kubefim.agent.registry;

import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentRule;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Registry rules and configs for the tests, as the compiler makes them. */
final class RegistryRules {
  private RegistryRules() {}

  static AgentRule rule(String key, boolean recursive, List<String> include, List<String> exclude) {
    return rule(key, recursive, include, exclude, 5, 3600);
  }

  static AgentRule rule(
      String key,
      boolean recursive,
      List<String> include,
      List<String> exclude,
      long debounceMillis,
      long scanIntervalSeconds) {
    return new AgentRule(
        key,
        recursive,
        include,
        exclude,
        Set.of(),
        Set.of(),
        0,
        true,
        scanIntervalSeconds,
        debounceMillis,
        List.of("windows-recommended"),
        Map.of("baseline", "defender-recommended"),
        false,
        true);
  }

  static AgentRule rule(String key) {
    return rule(key, true, List.of(), List.of());
  }

  static AgentConfig config(AgentRule... rules) {
    return new AgentConfig(
        AgentConfig.FORMAT_VERSION, "v1", "akswin000001", List.of(), List.of(rules));
  }
}
