package io.kubefim.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kubefim.api.config.AgentConfig;
import java.time.Instant;
import java.util.List;

/**
 * An agent's heartbeat ({@code PUT /v1/nodes/{node}/status}): what it applies and how it is.
 *
 * @param formatVersion wire format, {@link #FORMAT_VERSION}
 * @param node the reporting node
 * @param appliedVersion the {@link AgentConfig#version()} in force on the node, null before the
 *     first config
 * @param appliedPolicies the policies (name and generation) of that config
 * @param state the agent's health
 * @param filesMonitored files in the baseline
 * @param watches inotify watches placed
 * @param outboxDepth events not yet acknowledged by ingest
 * @param errors problems on this node, e.g. a rule root that is missing or cannot be watched
 * @param time when the agent sent it (informational; freshness uses the receive time)
 * @param attributionUnavailable why this node's agent cannot say who made changes although a policy
 *     asks for {@code attribution} (no CAP_SYS_ADMIN, an old kernel, not in the host pid
 *     namespace); null when it can, or when no policy asks. Its changes are still detected.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeStatus(
    int formatVersion,
    String node,
    String appliedVersion,
    List<AgentConfig.AppliedPolicy> appliedPolicies,
    State state,
    long filesMonitored,
    long watches,
    long outboxDepth,
    List<Problem> errors,
    Instant time,
    String attributionUnavailable) {
  public static final int FORMAT_VERSION = 1;

  public NodeStatus {
    appliedPolicies = appliedPolicies == null ? List.of() : List.copyOf(appliedPolicies);
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /** A heartbeat of an agent that attributes, or of one that need not. */
  public NodeStatus(
      int formatVersion,
      String node,
      String appliedVersion,
      List<AgentConfig.AppliedPolicy> appliedPolicies,
      State state,
      long filesMonitored,
      long watches,
      long outboxDepth,
      List<Problem> errors,
      Instant time) {
    this(
        formatVersion,
        node,
        appliedVersion,
        appliedPolicies,
        state,
        filesMonitored,
        watches,
        outboxDepth,
        errors,
        time,
        null);
  }

  /** The agent's health. */
  public enum State {
    /** Starting or running its first scan. */
    Starting,
    /** Monitoring everything its config asks for. */
    Ready,
    /** Monitoring, with problems listed in errors. */
    Degraded
  }

  /**
   * One problem on a node.
   *
   * @param policy the policy it concerns, or null for the whole agent
   * @param message what went wrong, in words
   */
  public record Problem(String policy, String message) {}
}
