package io.kubefim.agent.status;

import io.kubefim.agent.config.RuleSet;
import io.kubefim.agent.scan.HostFs;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.status.NodeStatus;
import io.kubefim.api.status.NodeStatus.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Folds what the agent knows into a {@link NodeStatus}. Pure but for the root existence check. */
public final class NodeStatusBuilder {
  private NodeStatusBuilder() {}

  /**
   * @param applied the config in force, null before the first
   * @param firstScanDone the first scan committed (readiness)
   * @param engineFailure the engine's current failure, or null
   * @param stoppedWorkers workers that stopped (name → why): health is DOWN, the state Degraded
   * @param rules the rules in force (their roots are checked for existence)
   * @param gaps directories that could not be watched, path → reason
   */
  public static NodeStatus build(
      String node,
      AgentConfig applied,
      boolean firstScanDone,
      Throwable engineFailure,
      Map<String, String> stoppedWorkers,
      RuleSet rules,
      HostFs fs,
      Map<String, String> gaps,
      long files,
      long watches,
      long outboxDepth) {
    List<Problem> errors = new ArrayList<>();
    stoppedWorkers.forEach(
        (name, why) ->
            errors.add(
                new Problem(
                    null, "worker " + name + " stopped (health DOWN until a restart): " + why)));
    if (engineFailure != null) {
      errors.add(new Problem(null, "engine failing, retrying: " + engineFailure));
    }
    if (rules != null && fs != null) {
      for (String root : rules.roots()) {
        if (!HostFs.exists(fs.toReal(root))) {
          List<String> policies = rules.policiesAt(root);
          String msg = "rule root " + root + " does not exist on this node";
          if (policies.isEmpty()) {
            errors.add(new Problem(null, msg));
          }
          for (String p : policies) {
            errors.add(new Problem(p, msg));
          }
        }
      }
    }
    gaps.forEach(
        (path, why) ->
            errors.add(
                new Problem(
                    null,
                    "coverage gap: cannot watch " + path + ": " + why + " (scans cover it)")));
    NodeStatus.State state =
        !stoppedWorkers.isEmpty()
            ? NodeStatus.State.Degraded
            : !firstScanDone
                ? NodeStatus.State.Starting
                : errors.isEmpty() ? NodeStatus.State.Ready : NodeStatus.State.Degraded;
    return new NodeStatus(
        NodeStatus.FORMAT_VERSION,
        node,
        applied == null ? null : applied.version(),
        applied == null ? List.of() : applied.policies(),
        state,
        files,
        watches,
        outboxDepth,
        errors,
        Instant.now());
  }

  /** {@code status} with {@code why} as its attributionUnavailable (null: attribution works). */
  public static NodeStatus withAttributionUnavailable(NodeStatus status, String why) {
    return new NodeStatus(
        status.formatVersion(),
        status.node(),
        status.appliedVersion(),
        status.appliedPolicies(),
        status.state(),
        status.filesMonitored(),
        status.watches(),
        status.outboxDepth(),
        status.errors(),
        status.time(),
        why);
  }
}
