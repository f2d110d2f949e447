package io.kubefim.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.FimPolicyStatus;
import io.kubefim.api.policy.NodeError;
import io.kubefim.api.policy.ValidationProblem;
import io.kubefim.api.status.PolicyRollout;
import io.kubefim.api.status.PolicyRollout.NodeRollout;
import io.kubefim.operator.Policies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatusAggregatorTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2025-01-01T00:05:00Z");
  private static final List<ValidationProblem> VALID = List.of();
  private static final List<ValidationProblem> INVALID =
      List.of(
          new ValidationProblem("spec.rules[0].paths[0]", "must be an absolute path"),
          new ValidationProblem("spec.scanInterval", "must be at least 5m"));

  private static FimPolicy policy(long generation, boolean paused) {
    FimPolicy p = Policies.policy("p", "rules: [{paths: [/etc]}]\npaused: " + paused);
    p.getMetadata().setGeneration(generation);
    return p;
  }

  private static RolloutResult report(long gen, int target, int applied, int ready) {
    return new RolloutResult.Reported(
        new PolicyRollout("p", gen, target, applied, ready, List.of()));
  }

  private static Condition condition(FimPolicyStatus s, String type) {
    return StatusAggregator.find(s, type);
  }

  static Stream<Arguments> readyTable() {
    RolloutResult down =
        new RolloutResult.Unavailable(RolloutResult.CONFIG_SERVICE_UNAVAILABLE, "refused");
    RolloutResult pending = new RolloutResult.Unavailable(RolloutResult.ROLLOUT_PENDING, "404");
    return Stream.of(
        // problems, paused, rollout, Accepted, Ready, Ready reason
        Arguments.of(VALID, false, report(3, 5, 5, 5), "True", "True", "AllNodesReady"),
        Arguments.of(VALID, false, report(3, 5, 5, 4), "True", "False", "NodesNotReady"),
        Arguments.of(VALID, false, report(3, 5, 2, 2), "True", "False", "NodesNotReady"),
        Arguments.of(VALID, false, report(3, 0, 0, 0), "True", "False", "NoTargetNodes"),
        Arguments.of(VALID, false, report(2, 5, 5, 5), "True", "False", "RolloutInProgress"),
        Arguments.of(VALID, true, report(3, 5, 0, 0), "True", "False", "Paused"),
        Arguments.of(VALID, false, down, "True", "Unknown", "ConfigServiceUnavailable"),
        Arguments.of(VALID, false, pending, "True", "Unknown", "RolloutPending"),
        Arguments.of(INVALID, false, report(3, 5, 0, 0), "False", "False", "NotAccepted"),
        Arguments.of(INVALID, false, down, "False", "False", "NotAccepted"));
  }

  @ParameterizedTest
  @MethodSource
  void readyTable(
      List<ValidationProblem> problems,
      boolean paused,
      RolloutResult rollout,
      String accepted,
      String ready,
      String readyReason) {
    FimPolicyStatus s = StatusAggregator.aggregate(policy(3, paused), problems, rollout, null, T0);
    assertThat(condition(s, "Accepted").getStatus()).isEqualTo(accepted);
    assertThat(condition(s, "Ready").getStatus()).isEqualTo(ready);
    assertThat(condition(s, "Ready").getReason()).isEqualTo(readyReason);
    assertThat(s.getObservedGeneration()).isEqualTo(3L);
    assertThat(s.getConditions())
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(3L))
        .allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z"))
        .extracting(Condition::getType)
        .containsExactly("Accepted", "Ready");
  }

  @Test
  void invalidPolicyNamesEveryField() {
    FimPolicyStatus s =
        StatusAggregator.aggregate(policy(1, false), INVALID, report(1, 1, 0, 0), null, T0);
    Condition accepted = condition(s, "Accepted");
    assertThat(accepted.getReason()).isEqualTo("InvalidPolicy");
    assertThat(accepted.getMessage())
        .isEqualTo(
            "spec.rules[0].paths[0]: must be an absolute path; spec.scanInterval: must be at least"
                + " 5m");
  }

  @Test
  void countsComeFromTheReportForThisGeneration() {
    FimPolicyStatus s =
        StatusAggregator.aggregate(policy(3, false), VALID, report(3, 5, 4, 3), null, T0);
    assertThat(s.getTargetNodes()).isEqualTo(5);
    assertThat(s.getAppliedNodes()).isEqualTo(4);
    assertThat(s.getReadyNodes()).isEqualTo(3);
    assertThat(condition(s, "Ready").getMessage()).isEqualTo("3 of 5 nodes ready, 4 applied");

    FimPolicyStatus older =
        StatusAggregator.aggregate(policy(4, false), VALID, report(3, 5, 4, 3), s, T1);
    assertThat(older.getTargetNodes()).isEqualTo(5);
    assertThat(older.getAppliedNodes()).isZero();
    assertThat(older.getReadyNodes()).isZero();
  }

  @Test
  void unknownKeepsThePreviousCountsAndErrors() {
    FimPolicyStatus before =
        StatusAggregator.aggregate(policy(3, false), VALID, report(3, 5, 5, 5), null, T0);
    before.setNodeErrors(new ArrayList<>(List.of(new NodeError("n1", "boom"))));
    FimPolicyStatus s =
        StatusAggregator.aggregate(
            policy(3, false),
            VALID,
            new RolloutResult.Unavailable("ConfigServiceUnavailable", "connection refused"),
            before,
            T1);
    assertThat(s.getTargetNodes()).isEqualTo(5);
    assertThat(s.getAppliedNodes()).isEqualTo(5);
    assertThat(s.getReadyNodes()).isEqualTo(5);
    assertThat(s.getNodeErrors()).containsExactly(new NodeError("n1", "boom"));
    assertThat(condition(s, "Ready").getMessage()).isEqualTo("connection refused");
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenStatusChanges() {
    FimPolicyStatus s0 =
        StatusAggregator.aggregate(policy(1, false), VALID, report(1, 5, 5, 3), null, T0);
    // same status (False), other reason and message: the time stays
    FimPolicyStatus s1 =
        StatusAggregator.aggregate(policy(2, false), VALID, report(1, 5, 5, 5), s0, T1);
    assertThat(condition(s1, "Ready").getReason()).isEqualTo("RolloutInProgress");
    assertThat(condition(s1, "Ready").getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(condition(s1, "Ready").getObservedGeneration()).isEqualTo(2L);
    assertThat(condition(s1, "Accepted").getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");
    // False -> True: the time moves
    FimPolicyStatus s2 =
        StatusAggregator.aggregate(policy(2, false), VALID, report(2, 5, 5, 5), s1, T1);
    assertThat(condition(s2, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(s2, "Ready").getLastTransitionTime()).isEqualTo("2025-01-01T00:05:00Z");
    assertThat(condition(s2, "Accepted").getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");
  }

  @Test
  void nodeErrorsAreSortedAndBounded() {
    List<NodeRollout> nodes = new ArrayList<>();
    for (int i = 30; i > 0; i--) {
      nodes.add(
          new NodeRollout(String.format("node-%02d", i), true, false, T0, "rule root missing"));
    }
    nodes.add(new NodeRollout("node-ok", true, true, T0, null));
    RolloutResult r = new RolloutResult.Reported(new PolicyRollout("p", 1, 31, 31, 1, nodes));
    FimPolicyStatus s = StatusAggregator.aggregate(policy(1, false), VALID, r, null, T0);
    assertThat(s.getNodeErrors()).hasSize(FimPolicyStatus.MAX_NODE_ERRORS);
    assertThat(s.getNodeErrors().get(0)).isEqualTo(new NodeError("node-01", "rule root missing"));
    assertThat(condition(s, "Ready").getMessage())
        .isEqualTo("1 of 31 nodes ready, 31 applied; 30 nodes report errors");
  }

  @Test
  void longProblemListsAreCut() {
    List<ValidationProblem> many = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      many.add(new ValidationProblem("spec.rules[" + i + "].paths[0]", "must be an absolute path"));
    }
    String m = StatusAggregator.problemsMessage(many);
    assertThat(m.length()).isLessThanOrEqualTo(StatusAggregator.MAX_MESSAGE);
    assertThat(m).startsWith("spec.rules[0].paths[0]: must be an absolute path;");
    assertThat(m).endsWith("more problems");
  }

  @Test
  void sameInputsGiveAnEqualStatus() {
    FimPolicyStatus a =
        StatusAggregator.aggregate(policy(1, false), VALID, report(1, 2, 2, 2), null, T0);
    FimPolicyStatus b =
        StatusAggregator.aggregate(policy(1, false), VALID, report(1, 2, 2, 2), a, T1);
    com.fasterxml.jackson.databind.JsonNode left = io.kubefim.api.json.Json.mapper().valueToTree(a);
    com.fasterxml.jackson.databind.JsonNode right =
        io.kubefim.api.json.Json.mapper().valueToTree(b);
    assertThat((Object) right).isEqualTo(left);
  }
}
