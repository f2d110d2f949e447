package io.kubefim.api.compile;

import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.policy.ValidationProblem;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link PolicyCompiler#compileWithProblems} made of a set of policies.
 *
 * @param config the node's config, built from the valid, unpaused policies that select the node
 * @param rejected every invalid policy (whether or not it selects the node, since an invalid
 *     selector cannot be evaluated), by metadata.name ("" when unnamed), sorted by name; each with
 *     all of its problems
 */
public record CompileResult(AgentConfig config, Map<String, List<ValidationProblem>> rejected) {
  public CompileResult {
    rejected = Collections.unmodifiableMap(new TreeMap<>(rejected));
  }
}
