package io.kubefim.operator;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.kubefim.api.json.Json;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.FimPolicyStatus;
import io.kubefim.api.policy.PolicyValidator;
import io.kubefim.api.policy.ValidationProblem;
import io.kubefim.operator.dependent.AgentDaemonSetApplier;
import io.kubefim.operator.status.PolicyEvents;
import io.kubefim.operator.status.RolloutResult;
import io.kubefim.operator.status.RolloutSource;
import io.kubefim.operator.status.StatusAggregator;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Reconciles every FimPolicy into the shared agent DaemonSets (one for Linux nodes, one for Windows
 * nodes) and keeps each policy's status (SPEC §2, §3). Design (docs/operator.md): each reconcile
 * renders the DaemonSets from all policies in the primary cache, so every reconcile converges on
 * the same desired state; the status comes from config-service's rollout, polled by rescheduling
 * every {@code rollout-poll-interval}.
 *
 * <p>Never writes spec: the only writes to a policy are its status (a patch carrying status alone)
 * and the finalizer JOSDK keeps so that the DaemonSets are re-rendered, or deleted, when a policy
 * goes.
 */
@ControllerConfiguration(name = FimPolicyReconciler.NAME)
public class FimPolicyReconciler implements Reconciler<FimPolicy>, Cleaner<FimPolicy> {
  public static final String NAME = "fimpolicy";

  /** Retry delay after a failed DaemonSet write, when shorter than the poll interval. */
  static final Duration FLEET_RETRY = Duration.ofSeconds(5);

  private static final Logger LOG = Logger.getLogger(FimPolicyReconciler.class);

  @Inject AgentDaemonSetApplier applier;
  @Inject RolloutSource rollouts;
  @Inject PolicyEvents events;
  @Inject OperatorConfig config;

  @Override
  public UpdateControl<FimPolicy> reconcile(FimPolicy policy, Context<FimPolicy> context) {
    String name = policy.getMetadata().getName();
    List<ValidationProblem> problems = PolicyValidator.validate(policy);

    RolloutResult fleetFailure = null;
    try {
      applier.converge(cachedWith(policy, context), null);
    } catch (KubernetesClientException e) {
      LOG.warnf("policy %s: cannot write the agent DaemonSets: %s", name, e.getMessage());
      fleetFailure =
          new RolloutResult.Unavailable(
              RolloutResult.DAEMON_SET_UPDATE_FAILED,
              "cannot write the agent DaemonSets: " + e.getMessage());
    }
    RolloutResult rollout = fleetFailure != null ? fleetFailure : rollouts.fetch(name);
    problems = withServedProblems(problems, rollout, policy);

    FimPolicyStatus previous = policy.getStatus();
    FimPolicyStatus status =
        StatusAggregator.aggregate(
            policy,
            problems,
            rollout,
            previous,
            Instant.now(),
            applier.settings().allowAttribution());
    if (!problems.isEmpty() && acceptedChanged(previous, status)) {
      Condition accepted = StatusAggregator.find(status, StatusAggregator.ACCEPTED);
      LOG.infof("policy %s rejected: %s", name, accepted.getMessage());
      events.invalidPolicy(policy, accepted.getMessage());
    }

    Duration next = config.rolloutPollInterval();
    if (fleetFailure != null && FLEET_RETRY.compareTo(next) < 0) {
      next = FLEET_RETRY;
    }
    if (sameStatus(previous, status)) {
      return UpdateControl.<FimPolicy>noUpdate().rescheduleAfter(next);
    }
    return UpdateControl.patchStatus(statusOnly(policy, status)).rescheduleAfter(next);
  }

  /**
   * The operator's own validation problems, or, when it finds none, the problems config-service
   * reports for this generation: a policy config-service could not compile is left out of every
   * node and must not show Accepted=True.
   */
  static List<ValidationProblem> withServedProblems(
      List<ValidationProblem> own, RolloutResult rollout, FimPolicy policy) {
    if (!own.isEmpty() || !(rollout instanceof RolloutResult.Reported reported)) {
      return own;
    }
    Long generation = policy.getMetadata().getGeneration();
    boolean current = reported.rollout().generation() == (generation == null ? 0 : generation);
    return current ? reported.rollout().problems() : own;
  }

  @Override
  public DeleteControl cleanup(FimPolicy policy, Context<FimPolicy> context) {
    String name = policy.getMetadata().getName();
    List<FimPolicy> others =
        context
            .getPrimaryCache()
            .list()
            .filter(p -> !name.equals(p.getMetadata().getName()))
            .toList();
    AgentDaemonSetApplier.Result result = applier.converge(others, name);
    LOG.infof(
        "policy %s deleted: Linux DaemonSet %s, Windows DaemonSet %s",
        name, result.linux(), result.windows());
    return DeleteControl.defaultDelete();
  }

  /**
   * The cached policies, with this reconcile's copy of {@code policy} in place of the cached one.
   */
  private static List<FimPolicy> cachedWith(FimPolicy policy, Context<FimPolicy> context) {
    String name = policy.getMetadata().getName();
    List<FimPolicy> out = new ArrayList<>();
    context
        .getPrimaryCache()
        .list()
        .filter(p -> !name.equals(p.getMetadata().getName()))
        .forEach(out::add);
    out.add(policy);
    return out;
  }

  /** A FimPolicy carrying only its name and {@code status}: the status patch sets nothing else. */
  static FimPolicy statusOnly(FimPolicy policy, FimPolicyStatus status) {
    FimPolicy patch = new FimPolicy();
    patch.getMetadata().setName(policy.getMetadata().getName());
    patch.setSpec(null);
    patch.setStatus(status);
    return patch;
  }

  /** True when the Accepted condition's status or message differs from before. */
  static boolean acceptedChanged(FimPolicyStatus previous, FimPolicyStatus next) {
    Condition before = StatusAggregator.find(previous, StatusAggregator.ACCEPTED);
    Condition after = StatusAggregator.find(next, StatusAggregator.ACCEPTED);
    return before == null
        || !Objects.equals(before.getStatus(), after.getStatus())
        || !Objects.equals(before.getMessage(), after.getMessage());
  }

  static boolean sameStatus(FimPolicyStatus a, FimPolicyStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    JsonNode left = Json.mapper().valueToTree(a);
    JsonNode right = Json.mapper().valueToTree(b);
    return left.equals(right);
  }
}
