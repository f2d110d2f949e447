package io.kubefim.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The JOSDK leader election configuration made from kubefim.operator.leader-election.*. */
class LeaderElectionTest {
  private final AtomicInteger exits = new AtomicInteger();

  @Test
  void defaultsAreTheLeaseKubefimOperatorInTheOperatorsNamespace() {
    LeaderElectionConfiguration c = election(Map.of()).configuration().orElseThrow();
    assertThat(c.getLeaseName()).isEqualTo("kubefim-operator");
    assertThat(c.getLeaseNamespace()).contains("fim-system");
    assertThat(c.getLeaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.getRenewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.getRetryPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.getIdentity()).isEmpty(); // JOSDK then takes HOSTNAME, the pod name
    assertThat(c.isExitOnStopLeading()).isFalse(); // LeaderElection exits itself, see below
    assertThat(c.getLeaderCallbacks()).isPresent();
  }

  @Test
  void settingsReachTheConfiguration() {
    LeaderElectionConfiguration c =
        election(
                Map.of(
                    "kubefim.operator.leader-election.lease-name", "kf-operator",
                    "kubefim.operator.leader-election.identity", "pod-a",
                    "kubefim.operator.leader-election.lease-duration", "30s",
                    "kubefim.operator.leader-election.renew-deadline", "20s",
                    "kubefim.operator.leader-election.retry-period", "5s"))
            .configuration()
            .orElseThrow();
    assertThat(c.getLeaseName()).isEqualTo("kf-operator");
    assertThat(c.getIdentity()).contains("pod-a");
    assertThat(c.getLeaseDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.getRenewDeadline()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.getRetryPeriod()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void offMeansNoLeaderElection() {
    assertThat(
            election(Map.of("kubefim.operator.leader-election.enabled", "false")).configuration())
        .isEmpty();
  }

  @Test
  void aRenewDeadlineNotShorterThanTheLeaseIsRefused() {
    LeaderElection e =
        election(
            Map.of(
                "kubefim.operator.leader-election.lease-duration", "10s",
                "kubefim.operator.leader-election.renew-deadline", "10s"));
    assertThatThrownBy(e::configuration)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("renew-deadline")
        .hasMessageContaining("shorter than lease-duration");
  }

  @Test
  void losingTheLeaseWhileRunningExitsButAStopDoesNot() {
    LeaderElection running = election(Map.of());
    running.startedLeading();
    assertThat(running.isLeader()).isTrue();
    running.stoppedLeading();
    assertThat(running.isLeader()).isFalse();
    assertThat(exits).hasValue(1);

    LeaderElection stopping = election(Map.of());
    stopping.startedLeading();
    stopping.onShutdown(new ShutdownEvent());
    stopping.stoppedLeading();
    assertThat(stopping.isLeader()).isFalse();
    assertThat(exits).hasValue(1);
  }

  private LeaderElection election(Map<String, String> properties) {
    Map<String, String> all = new HashMap<>(properties);
    all.put("kubefim.operator.namespace", "fim-system");
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(OperatorConfig.class)
            .withConverter(Duration.class, 200, new DurationConverter()) // "15s", as in Quarkus
            .withSources(new PropertiesConfigSource(all, "test", 100))
            .build();
    return new LeaderElection(
        config.getConfigMapping(OperatorConfig.class), null, exits::incrementAndGet);
  }
}
