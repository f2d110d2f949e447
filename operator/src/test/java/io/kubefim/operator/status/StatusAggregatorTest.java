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

  private static final FimPolicy WINDOWS = Policies.policy("p", Policies.WINDOWS_SPEC);

  private static final FimPolicy BOTH = Policies.policy("p", Policies.LINUX_AND_WINDOWS_SPEC);

  @Test
  void aWindowsPolicyCountsItsWindowsNodes() {
    RolloutResult windowsNodes =
        new RolloutResult.Reported(
            new PolicyRollout(
                "p",
                1,
                2,
                2,
                1,
                List.of(
                    new NodeRollout("akswin000000", true, true, T0, null),
                    new NodeRollout("akswin000001", true, false, T0, "HKLM\\SECURITY: denied"))));
    FimPolicyStatus s = StatusAggregator.aggregate(WINDOWS, VALID, windowsNodes, null, T0);
    assertThat(s.getTargetNodes()).isEqualTo(2);
    assertThat(s.getAppliedNodes()).isEqualTo(2);
    assertThat(s.getReadyNodes()).isEqualTo(1);
    assertThat(s.getNodeErrors())
        .containsExactly(new NodeError("akswin000001", "HKLM\\SECURITY: denied"));
    assertThat(condition(s, "Ready").getReason()).isEqualTo("NodesNotReady");

    FimPolicyStatus none = StatusAggregator.aggregate(WINDOWS, VALID, report(1, 0, 0, 0), s, T1);
    assertThat(condition(none, "Ready").getReason()).isEqualTo("NoTargetNodes");
    assertThat(condition(none, "Ready").getMessage())
        .isEqualTo("the node selector matches no Windows node");
  }

  @Test
  void noTargetNodesNamesTheOsesThePolicyTargets() {
    assertThat(
            condition(
                    StatusAggregator.aggregate(
                        policy(1, false), VALID, report(1, 0, 0, 0), null, T0),
                    "Ready")
                .getMessage())
        .isEqualTo("the node selector matches no Linux node");
    assertThat(
            condition(
                    StatusAggregator.aggregate(BOTH, VALID, report(1, 0, 0, 0), null, T0), "Ready")
                .getMessage())
        .isEqualTo("the node selector matches no Linux or Windows node");
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

  private static FimPolicy whoPolicy(boolean paused) {
    FimPolicy p =
        Policies.policy("p", "attribution: true\nrules: [{paths: [/etc]}]\npaused: " + paused);
    p.getMetadata().setGeneration(3L);
    return p;
  }

  private static RolloutResult whoReport(long gen, int applied, PolicyRollout.NodeMessage... un) {
    return new RolloutResult.Reported(
        new PolicyRollout("p", gen, 5, applied, applied, List.of(), List.of(), List.of(un)));
  }

  static Stream<Arguments> attributionTable() {
    PolicyRollout.NodeMessage noCap = new PolicyRollout.NodeMessage("node-b", "no CAP_SYS_ADMIN");
    RolloutResult down =
        new RolloutResult.Unavailable(RolloutResult.CONFIG_SERVICE_UNAVAILABLE, "refused");
    return Stream.of(
        // problems, paused, allowed, rollout, status, reason
        Arguments.of(VALID, false, true, whoReport(3, 5), "True", "Active"),
        Arguments.of(VALID, false, true, whoReport(3, 2), "True", "Active"),
        Arguments.of(VALID, false, true, whoReport(3, 5, noCap), "False", "Unavailable"),
        Arguments.of(VALID, false, false, whoReport(3, 5), "False", "NotAllowed"),
        Arguments.of(VALID, true, false, whoReport(3, 0), "False", "NotAllowed"),
        Arguments.of(VALID, true, true, whoReport(3, 0), "False", "Paused"),
        Arguments.of(INVALID, false, true, whoReport(3, 0), "False", "NotAccepted"),
        Arguments.of(VALID, false, true, whoReport(3, 0), "Unknown", "RolloutInProgress"),
        Arguments.of(VALID, false, true, whoReport(2, 5), "Unknown", "RolloutInProgress"),
        Arguments.of(VALID, false, true, down, "Unknown", "ConfigServiceUnavailable"));
  }

  @ParameterizedTest
  @MethodSource
  void attributionTable(
      List<ValidationProblem> problems,
      boolean paused,
      boolean allowed,
      RolloutResult rollout,
      String status,
      String reason) {
    FimPolicyStatus s =
        StatusAggregator.aggregate(whoPolicy(paused), problems, rollout, null, T0, allowed);
    Condition c = condition(s, "Attribution");
    assertThat(c.getStatus()).isEqualTo(status);
    assertThat(c.getReason()).isEqualTo(reason);
    assertThat(c.getObservedGeneration()).isEqualTo(3L);
    assertThat(c.getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");
  }

  @Test
  void noAttributionConditionOnAPolicyThatDoesNotAskForIt() {
    FimPolicyStatus s =
        StatusAggregator.aggregate(policy(3, false), VALID, whoReport(3, 5), null, T0, false);
    assertThat(condition(s, "Attribution")).isNull();
    assertThat(s.getConditions())
        .extracting(Condition::getType)
        .containsExactly("Accepted", "Ready");
  }

  @Test
  void unavailableNamesTheNodesAndTheirReasons() {
    FimPolicyStatus s =
        StatusAggregator.aggregate(
            whoPolicy(false),
            VALID,
            whoReport(
                3,
                5,
                new PolicyRollout.NodeMessage("node-c", "not in the host pid namespace"),
                new PolicyRollout.NodeMessage("node-a", "kernel 4.19: no FAN_REPORT_FID")),
            null,
            T0,
            true);
    assertThat(condition(s, "Attribution").getMessage())
        .isEqualTo(
            "2 nodes cannot say who makes changes (changes are still detected): node-a: kernel"
                + " 4.19: no FAN_REPORT_FID; node-c: not in the host pid namespace");
    assertThat(condition(s, "Ready").getStatus())
        .as("changes are still detected")
        .isEqualTo("True");
  }

  @Test
  void unavailableMessageIsBounded() {
    List<PolicyRollout.NodeMessage> many = new ArrayList<>();
    for (int i = 1; i <= 300; i++) {
      many.add(new PolicyRollout.NodeMessage(String.format("node-%03d", i), "x".repeat(100)));
    }
    String m = StatusAggregator.unavailableMessage(many);
    assertThat(m).startsWith("300 nodes cannot say who makes changes");
    assertThat(m).contains("node-001: ").contains("node-020: ").doesNotContain("node-021");
    assertThat(m).endsWith("; and 280 more");
    assertThat(m.length()).isLessThanOrEqualTo(StatusAggregator.MAX_MESSAGE);
    List<PolicyRollout.NodeMessage> huge =
        List.of(
            new PolicyRollout.NodeMessage("a", "y".repeat(10_000)),
            new PolicyRollout.NodeMessage("b", "z"));
    String h = StatusAggregator.unavailableMessage(huge);
    assertThat(h.length()).isLessThanOrEqualTo(StatusAggregator.MAX_MESSAGE);
    assertThat(h).endsWith("and 2 more");
  }

  @Test
  void attributionTransitionTimeMovesOnlyWithItsStatus() {
    PolicyRollout.NodeMessage noCap = new PolicyRollout.NodeMessage("node-b", "no CAP_SYS_ADMIN");
    FimPolicyStatus first =
        StatusAggregator.aggregate(whoPolicy(false), VALID, whoReport(3, 5, noCap), null, T0, true);
    FimPolicyStatus same =
        StatusAggregator.aggregate(
            whoPolicy(false), VALID, whoReport(3, 5, noCap), first, T1, false);
    assertThat(condition(same, "Attribution").getReason()).isEqualTo("NotAllowed");
    assertThat(condition(same, "Attribution").getLastTransitionTime())
        .isEqualTo("2025-01-01T00:00:00Z");
    FimPolicyStatus fixed =
        StatusAggregator.aggregate(whoPolicy(false), VALID, whoReport(3, 5), same, T1, true);
    assertThat(condition(fixed, "Attribution").getStatus()).isEqualTo("True");
    assertThat(condition(fixed, "Attribution").getLastTransitionTime())
        .isEqualTo("2025-01-01T00:05:00Z");
  }
}
