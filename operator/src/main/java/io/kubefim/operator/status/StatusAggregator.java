package io.kubefim.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.kubefim.api.compile.NodeOs;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.FimPolicySpec;
import io.kubefim.api.policy.FimPolicyStatus;
import io.kubefim.api.policy.NodeError;
import io.kubefim.api.policy.ValidationProblem;
import io.kubefim.api.status.PolicyRollout;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Folds validation and rollout into a policy's status (SPEC §2): a pure function of (policy,
 * problems, rollout, previous status, now).
 *
 * <ul>
 *   <li>{@code Accepted}: True (reason {@value #VALID}) when there is no problem; False (reason
 *       {@value #INVALID_POLICY}) with every problem in the message otherwise.
 *   <li>{@code Ready}: True (reason {@value #ALL_NODES_READY}) when config-service reports this
 *       generation with {@code readyNodes == targetNodes > 0}. False when the policy is not
 *       accepted, is paused, selects no node of the OSes it targets ({@value #NO_TARGET_NODES}:
 *       config-service counts Linux and Windows nodes alike; a FIM policy that watches nothing
 *       protects nothing, so it is not Ready), config-service still reports an older generation, or
 *       some node is not ready. Unknown when there is no report, with the reason of {@link
 *       RolloutResult.Unavailable}; counts and node errors then keep their previous values rather
 *       than inventing zeros.
 *   <li>{@code Attribution}: only on a policy with {@code spec.attribution: true}, absent
 *       otherwise. False (reason {@value #NOT_ALLOWED}) when the operator's {@code
 *       allow-attribution} setting forbids it; False ({@value #NOT_ACCEPTED}, {@value #PAUSED})
 *       when the policy is not accepted or paused; False ({@value #UNAVAILABLE}) when some targeted
 *       node reports it cannot attribute, with those nodes and their reasons in the message (at
 *       most {@link FimPolicyStatus#MAX_NODE_ERRORS}); True ({@value #ACTIVE}) when nodes apply
 *       this generation and none reports so; Unknown while no node applies it yet ({@value
 *       #ROLLOUT_IN_PROGRESS}) or there is no report (reason of {@link RolloutResult.Unavailable}).
 *   <li>Conditions carry the policy's generation as observedGeneration. A condition's
 *       lastTransitionTime moves only when its status changes; reason and message may change
 *       without it (Kubernetes conventions).
 *   <li>nodeErrors: nodes whose rollout entry has a message, sorted by node, at most {@link
 *       FimPolicyStatus#MAX_NODE_ERRORS}.
 * </ul>
 */
public final class StatusAggregator {
  public static final String ACCEPTED = "Accepted";
  public static final String READY = "Ready";

  public static final String VALID = "Valid";
  public static final String INVALID_POLICY = "InvalidPolicy";
  public static final String NOT_ACCEPTED = "NotAccepted";
  public static final String PAUSED = "Paused";
  public static final String NO_TARGET_NODES = "NoTargetNodes";
  public static final String ROLLOUT_IN_PROGRESS = "RolloutInProgress";
  public static final String NODES_NOT_READY = "NodesNotReady";
  public static final String ALL_NODES_READY = "AllNodesReady";

  public static final String ATTRIBUTION = "Attribution";
  public static final String ACTIVE = "Active";
  public static final String UNAVAILABLE = "Unavailable";
  public static final String NOT_ALLOWED = "NotAllowed";

  /** Condition messages are cut here; the API server's limit is 32768. */
  static final int MAX_MESSAGE = 4096;

  private StatusAggregator() {}

  /** The new status, with attribution allowed. */
  public static FimPolicyStatus aggregate(
      FimPolicy policy,
      List<ValidationProblem> problems,
      RolloutResult rollout,
      FimPolicyStatus previous,
      Instant now) {
    return aggregate(policy, problems, rollout, previous, now, true);
  }

  /**
   * The new status.
   *
   * @param policy the policy as reconciled (generation, paused, attribution)
   * @param problems its validation problems; empty when valid
   * @param rollout config-service's report or why there is none
   * @param previous the status the policy has now; may be null
   * @param now the time of this reconcile
   * @param attributionAllowed the operator's {@code agent.allow-attribution} setting
   */
  public static FimPolicyStatus aggregate(
      FimPolicy policy,
      List<ValidationProblem> problems,
      RolloutResult rollout,
      FimPolicyStatus previous,
      Instant now,
      boolean attributionAllowed) {
    long generation =
        policy.getMetadata().getGeneration() == null ? 0 : policy.getMetadata().getGeneration();
    boolean paused = policy.getSpec() != null && Boolean.TRUE.equals(policy.getSpec().getPaused());
    FimPolicyStatus prev = previous == null ? new FimPolicyStatus() : previous;
    FimPolicyStatus out = new FimPolicyStatus();
    out.setObservedGeneration(generation);

    Draft accepted =
        problems.isEmpty()
            ? new Draft(ACCEPTED, "True", VALID, "the policy is valid")
            : new Draft(ACCEPTED, "False", INVALID_POLICY, problemsMessage(problems));

    Draft ready;
    if (rollout instanceof RolloutResult.Reported reported) {
      PolicyRollout r = reported.rollout();
      boolean current = r.generation() == generation;
      out.setTargetNodes(r.targetNodes());
      out.setAppliedNodes(current ? r.appliedNodes() : 0);
      out.setReadyNodes(current ? r.readyNodes() : 0);
      out.setNodeErrors(nodeErrors(r));
      ready = readyFromReport(policy, problems, paused, generation, r, current);
    } else {
      RolloutResult.Unavailable u = (RolloutResult.Unavailable) rollout;
      out.setTargetNodes(prev.getTargetNodes());
      out.setAppliedNodes(prev.getAppliedNodes());
      out.setReadyNodes(prev.getReadyNodes());
      out.setNodeErrors(
          prev.getNodeErrors() == null ? new ArrayList<>() : new ArrayList<>(prev.getNodeErrors()));
      ready =
          !problems.isEmpty()
              ? notAccepted()
              : new Draft(READY, "Unknown", u.reason(), bounded(u.message()));
    }
    List<Condition> conditions = new ArrayList<>();
    conditions.add(accepted.toCondition(generation, find(prev, ACCEPTED), now));
    conditions.add(ready.toCondition(generation, find(prev, READY), now));
    if (policy.getSpec() != null && Boolean.TRUE.equals(policy.getSpec().getAttribution())) {
      Draft attribution = attribution(problems, paused, generation, rollout, attributionAllowed);
      conditions.add(attribution.toCondition(generation, find(prev, ATTRIBUTION), now));
    }
    out.setConditions(conditions);
    return out;
  }

  /** The condition of {@code type} in {@code status}, or null. */
  public static Condition find(FimPolicyStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private static Draft readyFromReport(
      FimPolicy policy,
      List<ValidationProblem> problems,
      boolean paused,
      long generation,
      PolicyRollout r,
      boolean current) {
    if (!problems.isEmpty()) {
      return notAccepted();
    }
    if (paused) {
      return new Draft(READY, "False", PAUSED, "the policy is paused: agents do not apply it");
    }
    if (!current) {
      return new Draft(
          READY,
          "False",
          ROLLOUT_IN_PROGRESS,
          "config-service reports generation " + r.generation() + ", waiting for " + generation);
    }
    if (r.targetNodes() == 0) {
      return new Draft(
          READY,
          "False",
          NO_TARGET_NODES,
          "the node selector matches no " + osWords(policy.getSpec()) + " node");
    }
    String counts =
        r.readyNodes()
            + " of "
            + r.targetNodes()
            + " nodes ready, "
            + r.appliedNodes()
            + " applied";
    if (r.readyNodes() == r.targetNodes()) {
      return new Draft(READY, "True", ALL_NODES_READY, counts);
    }
    long errors = r.nodes().stream().filter(n -> hasMessage(n.message())).count();
    return new Draft(
        READY,
        "False",
        NODES_NOT_READY,
        errors == 0 ? counts : counts + "; " + errors + " nodes report errors");
  }

  private static Draft attribution(
      List<ValidationProblem> problems,
      boolean paused,
      long generation,
      RolloutResult rollout,
      boolean allowed) {
    if (!allowed) {
      return new Draft(
          ATTRIBUTION,
          "False",
          NOT_ALLOWED,
          "the operator setting agent.allowAttribution is false: changes are recorded without"
              + " who made them");
    }
    if (!problems.isEmpty()) {
      return new Draft(
          ATTRIBUTION, "False", NOT_ACCEPTED, "the policy is not accepted; see Accepted");
    }
    if (paused) {
      return new Draft(
          ATTRIBUTION, "False", PAUSED, "the policy is paused: agents do not apply it");
    }
    if (rollout instanceof RolloutResult.Unavailable u) {
      return new Draft(ATTRIBUTION, "Unknown", u.reason(), bounded(u.message()));
    }
    PolicyRollout r = ((RolloutResult.Reported) rollout).rollout();
    List<PolicyRollout.NodeMessage> unavailable =
        r.attributionUnavailable().stream()
            .filter(n -> hasMessage(n.message()))
            .sorted(Comparator.comparing(PolicyRollout.NodeMessage::node))
            .toList();
    if (!unavailable.isEmpty()) {
      return new Draft(ATTRIBUTION, "False", UNAVAILABLE, unavailableMessage(unavailable));
    }
    if (r.generation() != generation || r.appliedNodes() == 0) {
      return new Draft(
          ATTRIBUTION,
          "Unknown",
          ROLLOUT_IN_PROGRESS,
          "no node applies generation " + generation + " yet");
    }
    return new Draft(
        ATTRIBUTION,
        "True",
        ACTIVE,
        "all " + r.appliedNodes() + " applied nodes say who makes changes");
  }

  /**
   * "N nodes cannot say who makes changes (changes are still detected): node: reason; ...", listing
   * at most {@link FimPolicyStatus#MAX_NODE_ERRORS} nodes, cut at {@link #MAX_MESSAGE}.
   */
  static String unavailableMessage(List<PolicyRollout.NodeMessage> nodes) {
    StringBuilder sb =
        new StringBuilder()
            .append(nodes.size())
            .append(nodes.size() == 1 ? " node cannot" : " nodes cannot")
            .append(" say who makes changes (changes are still detected): ");
    int shown = 0;
    for (PolicyRollout.NodeMessage n : nodes) {
      String next = (shown == 0 ? "" : "; ") + n.node() + ": " + n.message();
      if (shown == FimPolicyStatus.MAX_NODE_ERRORS
          || sb.length() + next.length() > MAX_MESSAGE - 40) {
        break;
      }
      sb.append(next);
      shown++;
    }
    if (shown < nodes.size()) {
      sb.append(shown == 0 ? "" : "; ").append("and ").append(nodes.size() - shown).append(" more");
    }
    return bounded(sb.toString());
  }

  /**
   * "Linux", "Windows" or "Linux or Windows": the OSes a valid policy targets (config-service
   * counts the nodes of each, NodeSelection), Linux when it names none.
   */
  static String osWords(FimPolicySpec spec) {
    Set<NodeOs> oses = spec == null ? Set.of() : NodeOs.targetedBy(spec);
    if (oses.isEmpty()) {
      oses = Set.of(NodeOs.LINUX);
    }
    return oses.stream()
        .sorted()
        .map(os -> os == NodeOs.LINUX ? "Linux" : "Windows")
        .collect(java.util.stream.Collectors.joining(" or "));
  }

  private static Draft notAccepted() {
    return new Draft(READY, "False", NOT_ACCEPTED, "the policy is not accepted; see Accepted");
  }

  private static List<NodeError> nodeErrors(PolicyRollout r) {
    return r.nodes().stream()
        .filter(n -> hasMessage(n.message()))
        .sorted(Comparator.comparing(PolicyRollout.NodeRollout::node))
        .limit(FimPolicyStatus.MAX_NODE_ERRORS)
        .map(n -> new NodeError(n.node(), bounded(n.message())))
        .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
  }

  private static boolean hasMessage(String m) {
    return m != null && !m.isBlank();
  }

  /** Every problem, in order, "; "-separated, cut at {@link #MAX_MESSAGE}. */
  static String problemsMessage(List<ValidationProblem> problems) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < problems.size(); i++) {
      String next = (i == 0 ? "" : "; ") + problems.get(i);
      if (sb.length() + next.length() > MAX_MESSAGE - 40) {
        sb.append("; and ").append(problems.size() - i).append(" more problems");
        break;
      }
      sb.append(next);
    }
    return sb.toString();
  }

  private static String bounded(String m) {
    return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE - 3) + "...";
  }

  /** A condition before its times are settled. */
  private record Draft(String type, String status, String reason, String message) {
    Condition toCondition(long generation, Condition previous, Instant now) {
      String transition =
          previous != null
                  && status.equals(previous.getStatus())
                  && previous.getLastTransitionTime() != null
              ? previous.getLastTransitionTime()
              : now.truncatedTo(ChronoUnit.SECONDS).toString();
      Condition c = new Condition();
      c.setType(type);
      c.setStatus(status);
      c.setReason(reason);
      c.setMessage(message);
      c.setObservedGeneration(generation);
      c.setLastTransitionTime(transition);
      return c;
    }
  }
}
