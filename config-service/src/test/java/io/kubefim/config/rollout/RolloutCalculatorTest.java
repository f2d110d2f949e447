package io.kubefim.config.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.config.AgentConfig.AppliedPolicy;
import io.kubefim.api.status.NodeStatus;
import io.kubefim.api.status.NodeStatus.State;
import io.kubefim.api.status.PolicyRollout;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutCalculatorTest {
  static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
  static final Duration FRESH = Duration.ofSeconds(90);

  static Heartbeats.Received beat(
      String node, String version, State state, long gen, Instant at, NodeStatus.Problem... errs) {
    return new Heartbeats.Received(
        new NodeStatus(
            1,
            node,
            version,
            List.of(new AppliedPolicy("p", gen)),
            state,
            10,
            3,
            0,
            List.of(errs),
            at),
        at);
  }

  @Test
  void countsTargetAppliedAndReadyPerNode() {
    Map<String, String> targets = Map.of("a", "v2", "b", "v2", "c", "v2", "d", "v2", "e", "v2");
    Map<String, Heartbeats.Received> beats =
        Map.of(
            "a", beat("a", "v2", State.Ready, 3, NOW.minusSeconds(5)),
            "b", beat("b", "v1", State.Ready, 2, NOW.minusSeconds(5)),
            "c", beat("c", "v2", State.Starting, 3, NOW.minusSeconds(5)),
            "d", beat("d", "v2", State.Ready, 3, NOW.minusSeconds(600)));
    PolicyRollout r = RolloutCalculator.rollout("p", 3, targets, beats, NOW, FRESH);

    assertThat(r.targetNodes()).isEqualTo(5);
    assertThat(r.appliedNodes()).as("a, c and d run generation 3").isEqualTo(3);
    assertThat(r.readyNodes()).as("only a is applied, running and fresh").isEqualTo(1);
    assertThat(r.nodes())
        .extracting(PolicyRollout.NodeRollout::node)
        .containsExactly("a", "b", "c", "d", "e");
    assertThat(r.nodes().get(1).message()).as("catching up is not a problem").isNull();
    assertThat(r.nodes().get(2).message()).as("a first scan is not a problem").isNull();
    assertThat(r.nodes().get(3).message()).startsWith("no heartbeat since");
    assertThat(r.nodes().get(4).message()).isNull();
    assertThat(r.nodes().get(1).applied()).isFalse();
    assertThat(r.nodes().get(2).ready()).isFalse();
  }

  @Test
  void aProblemWithThisPolicyOrTheAgentMeansNotReady() {
    Map<String, Heartbeats.Received> beats =
        Map.of(
            "a",
            beat("a", "v", State.Degraded, 1, NOW, new NodeStatus.Problem("p", "/opt/x missing")),
            "b",
            beat("b", "v", State.Degraded, 1, NOW, new NodeStatus.Problem("other", "boom")),
            "c",
            beat("c", "v", State.Degraded, 1, NOW, new NodeStatus.Problem(null, "disk full")));
    PolicyRollout r =
        RolloutCalculator.rollout("p", 1, Map.of("a", "v", "b", "v", "c", "v"), beats, NOW, FRESH);

    assertThat(r.appliedNodes()).isEqualTo(3);
    assertThat(r.readyNodes()).as("b's problem is another policy's").isEqualTo(1);
    assertThat(r.nodes().get(0).message()).isEqualTo("/opt/x missing");
    assertThat(r.nodes().get(2).message()).isEqualTo("disk full");
  }

  @Test
  void withoutGenerationsTheConfigVersionDecides() {
    Map<String, Heartbeats.Received> beats =
        Map.of(
            "a", beat("a", "new", State.Ready, 0, NOW),
            "b", beat("b", "old", State.Ready, 0, NOW));
    PolicyRollout r =
        RolloutCalculator.rollout("p", 0, Map.of("a", "new", "b", "new"), beats, NOW, FRESH);
    assertThat(r.appliedNodes()).isEqualTo(1);
    assertThat(r.nodes().get(1).applied()).isFalse();
  }

  @Test
  void nodesThatCannotAttributeAreListedWithTheirReason() {
    Map<String, Heartbeats.Received> beats =
        Map.of(
            "a",
                withAttribution(
                    beat("a", "v", State.Ready, 1, NOW), "kernel 4.19: no FAN_REPORT_FID"),
            "b", beat("b", "v", State.Ready, 1, NOW),
            "c",
                withAttribution(
                    beat("c", "v", State.Ready, 1, NOW), "not in the host pid namespace"),
            "x", withAttribution(beat("x", "v", State.Ready, 1, NOW), "not targeted"));
    PolicyRollout r =
        RolloutCalculator.rollout(
            "p", 1, Map.of("a", "v", "b", "v", "c", "v", "d", "v"), beats, NOW, FRESH);

    assertThat(r.attributionUnavailable())
        .containsExactly(
            new PolicyRollout.NodeMessage("a", "kernel 4.19: no FAN_REPORT_FID"),
            new PolicyRollout.NodeMessage("c", "not in the host pid namespace"));
    assertThat(r.readyNodes()).as("changes are still detected: still ready").isEqualTo(3);
    assertThat(r.nodes()).allSatisfy(n -> assertThat(n.message()).isNull());
  }

  @Test
  void noAttributionReportGivesAnEmptyList() {
    PolicyRollout r =
        RolloutCalculator.rollout(
            "p", 1, Map.of("a", "v"), Map.of("a", beat("a", "v", State.Ready, 1, NOW)), NOW, FRESH);
    assertThat(r.attributionUnavailable()).isEmpty();
  }

  static Heartbeats.Received withAttribution(Heartbeats.Received r, String why) {
    NodeStatus s = r.status();
    return new Heartbeats.Received(
        new NodeStatus(
            s.formatVersion(),
            s.node(),
            s.appliedVersion(),
            s.appliedPolicies(),
            s.state(),
            s.filesMonitored(),
            s.watches(),
            s.outboxDepth(),
            s.errors(),
            s.time(),
            why),
        r.receivedAt());
  }
}
