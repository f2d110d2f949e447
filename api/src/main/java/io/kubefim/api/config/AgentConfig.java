package io.kubefim.api.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Everything one node's agent needs: the compiled rules of every policy that selects the node.
 * Served by config-service ({@code GET /v1/nodes/{node}/config}, ETag = {@link #version()}) and
 * compiled locally by the agent in {@code --policies} mode. Made by {@code PolicyCompiler}.
 *
 * @param formatVersion wire format of this document, {@link #FORMAT_VERSION}
 * @param version content hash of everything below: the same policies give the same version, in any
 *     order
 * @param node the node this config was compiled for
 * @param policies the applied policies, by name, sorted
 * @param rules the compiled rules, sorted by path
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentConfig(
    int formatVersion,
    String version,
    String node,
    List<AppliedPolicy> policies,
    List<AgentRule> rules) {
  public static final int FORMAT_VERSION = 1;

  public AgentConfig {
    policies = policies == null ? List.of() : List.copyOf(policies);
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /**
   * A policy this config applies.
   *
   * @param name policy name
   * @param generation its metadata.generation (0 when unknown, as in local mode)
   */
  public record AppliedPolicy(String name, long generation) {}
}
