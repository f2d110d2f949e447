package io.kubefim.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kubefim.api.policy.ValidationProblem;
import java.time.Instant;
import java.util.List;

/**
 * How far one policy generation has reached the fleet ({@code GET /v1/policies/{name}/rollout}).
 * The per-node list lets a reader merge the answers of several config-service replicas: for each
 * node, the entry with the newest {@code lastSeen} wins.
 *
 * @param policy policy name
 * @param generation the generation the counts refer to
 * @param targetNodes nodes the policy selects
 * @param appliedNodes nodes whose agent runs this generation
 * @param readyNodes applied and healthy, with a fresh heartbeat
 * @param nodes per-node detail, sorted by node name
 * @param problems why config-service leaves this policy out of every node's config (it failed
 *     validation or compiling there); empty when it is served. Absent on the wire when empty.
 * @param attributionUnavailable targeted nodes whose agent reports it cannot say who made changes
 *     ({@link NodeStatus#attributionUnavailable()}), with its reason, sorted by node name; at most
 *     one per node, so never longer than {@code nodes}. Absent on the wire when empty (every node
 *     attributes, or no policy on them asks for attribution).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyRollout(
    String policy,
    long generation,
    int targetNodes,
    int appliedNodes,
    int readyNodes,
    List<NodeRollout> nodes,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ValidationProblem> problems,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<NodeMessage> attributionUnavailable) {

  public PolicyRollout {
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    problems = problems == null ? List.of() : List.copyOf(problems);
    attributionUnavailable =
        attributionUnavailable == null ? List.of() : List.copyOf(attributionUnavailable);
  }

  /** A rollout without attribution reports. */
  public PolicyRollout(
      String policy,
      long generation,
      int targetNodes,
      int appliedNodes,
      int readyNodes,
      List<NodeRollout> nodes,
      List<ValidationProblem> problems) {
    this(policy, generation, targetNodes, appliedNodes, readyNodes, nodes, problems, List.of());
  }

  /** A rollout of a policy config-service serves (no problems). */
  public PolicyRollout(
      String policy,
      long generation,
      int targetNodes,
      int appliedNodes,
      int readyNodes,
      List<NodeRollout> nodes) {
    this(policy, generation, targetNodes, appliedNodes, readyNodes, nodes, List.of(), List.of());
  }

  /** This rollout with {@code problems} in place of its own. */
  public PolicyRollout withProblems(List<ValidationProblem> problems) {
    return new PolicyRollout(
        policy,
        generation,
        targetNodes,
        appliedNodes,
        readyNodes,
        nodes,
        problems,
        attributionUnavailable);
  }

  /**
   * One node and what it says, e.g. why its agent cannot attribute changes.
   *
   * @param node node name
   * @param message the node's own words
   */
  public record NodeMessage(String node, String message) {}

  /**
   * One targeted node.
   *
   * @param node node name
   * @param applied its agent runs this generation
   * @param ready applied, healthy and heard from recently
   * @param lastSeen when this replica last had its heartbeat; null if never
   * @param message the node's problem with this policy or the whole agent, or a stale heartbeat;
   *     null while the node is merely catching up (not applied yet, first scan running)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NodeRollout(
      String node, boolean applied, boolean ready, Instant lastSeen, String message) {}
}
