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
   * The scan budget on this node: the strictest of its policies' ({@link ScanBudget#strictest}).
   */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public ScanBudget scanBudget() {
    return ScanBudget.strictest(policies.stream().map(AppliedPolicy::scanBudget).toList());
  }

  /**
   * A policy this config applies. The issue 17 fields are omitted from JSON when empty, so a config
   * without them is written (and versioned) as before, and an old agent ignores them.
   *
   * @param name policy name
   * @param generation its metadata.generation (0 when unknown, as in local mode)
   * @param maintenanceWindows its scheduled windows, validated; empty when none
   * @param maintenanceUntil the annotation kubefim.io/maintenance-until as an RFC 3339 UTC time
   *     (the ad-hoc window's end), null when absent
   * @param expectedProcesses its expectedProcesses (absolute exe paths or globs); empty when none
   * @param scanBudget its scanRate, scanThreads, scanNice and scanIoClass (issue 18); null when
   *     none
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record AppliedPolicy(
      String name,
      long generation,
      List<Window> maintenanceWindows,
      String maintenanceUntil,
      List<String> expectedProcesses,
      ScanBudget scanBudget) {
    public AppliedPolicy {
      maintenanceWindows = maintenanceWindows == null ? List.of() : List.copyOf(maintenanceWindows);
      expectedProcesses = expectedProcesses == null ? List.of() : List.copyOf(expectedProcesses);
      scanBudget = scanBudget == null || scanBudget.isNone() ? null : scanBudget;
    }

    /** A policy without a scan budget. */
    public AppliedPolicy(
        String name,
        long generation,
        List<Window> maintenanceWindows,
        String maintenanceUntil,
        List<String> expectedProcesses) {
      this(name, generation, maintenanceWindows, maintenanceUntil, expectedProcesses, null);
    }

    /** A policy without windows, expected processes or scan budget. */
    public AppliedPolicy(String name, long generation) {
      this(name, generation, List.of(), null, List.of(), null);
    }

    /** This policy with {@code budget} (null: none). */
    public AppliedPolicy withScanBudget(ScanBudget budget) {
      return new AppliedPolicy(
          name, generation, maintenanceWindows, maintenanceUntil, expectedProcesses, budget);
    }

    /** True when this policy declares anything expected. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean hasExpectations() {
      return !maintenanceWindows.isEmpty()
          || maintenanceUntil != null
          || !expectedProcesses.isEmpty();
    }
  }

  /**
   * A maintenance window as the agent gets it: every default resolved.
   *
   * @param name the window's name
   * @param schedule five cron fields
   * @param durationSeconds how long it stays open
   * @param timeZone IANA time zone id
   */
  public record Window(String name, String schedule, long durationSeconds, String timeZone) {}
}
