package io.kubefim.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurationServiceCustomizer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Turns on JOSDK's leader election from {@code kubefim.operator.leader-election.*}: informers run
 * on every replica, reconcilers only on the one holding the Lease.
 *
 * <p>Losing the Lease while running ends the process (exit code 1) so that Kubernetes restarts it
 * as a follower: JOSDK cannot stop its reconcilers and resume them later. JOSDK's own exit on
 * losing the Lease is turned off because in JOSDK 5.3.2 it also fires when the operator is stopped
 * from the JVM's shutdown hook, where {@code System.exit} blocks forever (java-operator-sdk issues
 * 1614, 3376): a pod would then hang until it is killed. Here the exit happens only when no
 * shutdown is under way, and from a thread of its own, so that the leader elector's lock is free
 * for the shutdown that follows.
 */
@Singleton
public class LeaderElection implements ConfigurationServiceCustomizer {
  private static final Logger LOG = Logger.getLogger(LeaderElection.class);

  private final OperatorConfig config;
  private final KubernetesClient client;
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicReference<String> leader = new AtomicReference<>();

  private final Runnable exit;

  @Inject
  LeaderElection(OperatorConfig config, KubernetesClient client) {
    this(config, client, LeaderElection::exitOnItsOwnThread);
  }

  /** {@code exit} ends the process when the Lease is lost outside a shutdown (tests: a probe). */
  LeaderElection(OperatorConfig config, KubernetesClient client, Runnable exit) {
    this.config = config;
    this.client = client;
    this.exit = exit;
  }

  @Override
  public Consumer<ConfigurationServiceOverrider> overrider() {
    Optional<LeaderElectionConfiguration> le = configuration();
    return o -> le.ifPresent(o::withLeaderElectionConfiguration);
  }

  /** The JOSDK configuration; empty when leader election is off. */
  public Optional<LeaderElectionConfiguration> configuration() {
    OperatorConfig.LeaderElection c = config.leaderElection();
    if (!c.enabled()) {
      LOG.info(
          "leader election is off (kubefim.operator.leader-election.enabled=false): this replica"
              + " reconciles on its own; run exactly one");
      return Optional.empty();
    }
    if (!c.renewDeadline().minus(c.leaseDuration()).isNegative()) {
      throw new IllegalArgumentException(
          "kubefim.operator.leader-election.renew-deadline ("
              + c.renewDeadline()
              + ") must be shorter than lease-duration ("
              + c.leaseDuration()
              + ")");
    }
    LeaderElectionConfigurationBuilder b =
        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(c.leaseName())
            .withLeaseNamespace(OperatorBeans.namespace(config, client))
            .withLeaseDuration(c.leaseDuration())
            .withRenewDeadline(c.renewDeadline())
            .withRetryPeriod(c.retryPeriod())
            .withLeaderCallbacks(
                new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader));
    c.identity().filter(s -> !s.isBlank()).ifPresent(b::withIdentity);
    // buildForTest(false) is the builder's only way to turn JOSDK's exit off (see the class
    // comment); this class exits instead, when that is safe.
    return Optional.of(b.buildForTest(false));
  }

  /** Whether this replica holds the Lease now. */
  public boolean isLeader() {
    return leading.get();
  }

  /** The holder of the Lease as this replica last saw it; null before the first look. */
  public String currentLeader() {
    return leader.get();
  }

  void startedLeading() {
    leading.set(true);
    LOG.infof("this replica holds the Lease %s: reconciling", config.leaderElection().leaseName());
  }

  private void newLeader(String identity) {
    leader.set(identity);
    LOG.infof("Lease %s is held by %s", config.leaderElection().leaseName(), identity);
  }

  void stoppedLeading() {
    leading.set(false);
    if (shuttingDown.get()) {
      return;
    }
    LOG.errorf(
        "lost the Lease %s: exiting so that this replica restarts as a follower",
        config.leaderElection().leaseName());
    exit.run();
  }

  private static void exitOnItsOwnThread() {
    Thread t = new Thread(() -> System.exit(1), "kubefim-lost-lease-exit");
    t.setDaemon(true);
    t.start();
  }

  /** Before the operator SDK stops the operator (its observer has the default priority). */
  void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
    shuttingDown.set(true);
  }
}
