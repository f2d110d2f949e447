package io.kubefim.config.rollout;

import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.status.NodeStatus;
import io.kubefim.api.status.PolicyRollout;
import io.kubefim.api.status.PolicyRollout.NodeRollout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Folds heartbeats into one policy's rollout: a pure function, table-tested.
 *
 * <p>A node has <em>applied</em> a policy when its agent reports that policy at the current
 * generation; when generations are unknown (0, local mode) it must also report the config version
 * the node should run now, so an edit counts as applied only once the agent has it. A node is
 * <em>ready</em> when it has applied, is not starting, reports no problem with this policy (or with
 * the whole agent), and was heard from within {@code freshness}.
 *
 * <p>{@code attributionUnavailable} lists the targeted nodes whose last heartbeat says the agent
 * cannot attribute changes ({@link NodeStatus#attributionUnavailable()}), with that reason; the
 * operator turns it into the policy's {@code Attribution} condition.
 */
public final class RolloutCalculator {
  private RolloutCalculator() {}

  /**
   * @param policy policy name
   * @param generation its current metadata.generation (0 when unknown)
   * @param targets nodes the policy selects, with the config version each should run
   * @param beats the last heartbeat per node
   * @param now this replica's clock
   * @param freshness how old a heartbeat may be for the node to count as ready
   */
  public static PolicyRollout rollout(
      String policy,
      long generation,
      Map<String, String> targets,
      Map<String, Heartbeats.Received> beats,
      Instant now,
      Duration freshness) {
    List<NodeRollout> nodes = new ArrayList<>();
    int applied = 0;
    int ready = 0;
    List<PolicyRollout.NodeMessage> attribution = new ArrayList<>();
    for (String node : new TreeSet<>(targets.keySet())) {
      Heartbeats.Received r = beats.get(node);
      if (r == null) {
        nodes.add(new NodeRollout(node, false, false, null, null)); // pending, not a problem
        continue;
      }
      NodeStatus s = r.status();
      if (s.attributionUnavailable() != null && !s.attributionUnavailable().isBlank()) {
        attribution.add(new PolicyRollout.NodeMessage(node, s.attributionUnavailable()));
      }
      boolean isApplied = hasApplied(s, policy, generation, targets.get(node));
      boolean fresh = !r.receivedAt().isBefore(now.minus(freshness));
      String problems = problemsFor(s.errors(), policy);
      boolean isReady =
          isApplied && fresh && s.state() != NodeStatus.State.Starting && problems == null;
      // Only problems travel in message (they become status.nodeErrors); a node that has not
      // caught up yet, or is still on its first scan, is progress and shows as applied/ready.
      String message = fresh ? problems : "no heartbeat since " + r.receivedAt();
      applied += isApplied ? 1 : 0;
      ready += isReady ? 1 : 0;
      nodes.add(new NodeRollout(node, isApplied, isReady, r.receivedAt(), message));
    }
    return new PolicyRollout(
        policy, generation, targets.size(), applied, ready, nodes, List.of(), attribution);
  }

  private static boolean hasApplied(
      NodeStatus s, String policy, long generation, String expectedVersion) {
    for (AgentConfig.AppliedPolicy p : s.appliedPolicies()) {
      if (p.name().equals(policy) && p.generation() == generation) {
        return generation != 0 || Objects.equals(s.appliedVersion(), expectedVersion);
      }
    }
    return false;
  }

  private static String problemsFor(Collection<NodeStatus.Problem> errors, String policy) {
    String joined =
        errors.stream()
            .filter(p -> p.policy() == null || p.policy().equals(policy))
            .map(NodeStatus.Problem::message)
            .collect(Collectors.joining("; "));
    return joined.isEmpty() ? null : joined;
  }
}
