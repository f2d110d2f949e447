package io.kubefim.operator.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.operator.LeaderElection;
import io.kubefim.operator.Policies;
import io.kubefim.operator.dependent.AgentDaemonSetRenderer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Two replicas are safe: while another identity holds the operator's Lease, this replica (with
 * leader election on, as in production) writes neither the agent DaemonSet nor a policy's status;
 * once that holder's Lease expires it takes the Lease over and reconciles.
 *
 * <p>Quarkus runs one application per test JVM, so the other replica is a Lease held by {@code
 * someone-else}, created on the mock API server before the operator starts.
 */
@QuarkusTest
@TestProfile(LeaderElectionIT.LeaderElectionOn.class)
@WithKubernetesTestServer(crud = true, setup = LeaderElectionIT.ForeignHolder.class)
@WithTestResource(FakeConfigServiceResource.class)
class LeaderElectionIT {
  static final String NS = "test";
  static final String LEASE = "kubefim-operator";
  static final String ME = "operator-replica-b";
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Leader election on with short periods; this replica's identity is {@link #ME}. */
  public static class LeaderElectionOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "kubefim.operator.leader-election.enabled", "true",
          "kubefim.operator.leader-election.identity", ME,
          "kubefim.operator.leader-election.lease-duration", "3s",
          "kubefim.operator.leader-election.renew-deadline", "2s",
          "kubefim.operator.leader-election.retry-period", "200ms");
    }
  }

  /**
   * Before the operator starts: the Lease held by another replica that renewed it a moment ago
   * (renewTime in the future, so it stays valid however long start-up takes), and the answer of a
   * SelfSubjectRulesReview (JOSDK checks at start that it may get, create and update Leases; the
   * mock API server has no authorizer).
   */
  public static class ForeignHolder implements Consumer<KubernetesServer> {
    @Override
    public void accept(KubernetesServer server) {
      SelfSubjectRulesReview allowed =
          new SelfSubjectRulesReviewBuilder()
              .withNewSpec()
              .withNamespace(NS)
              .endSpec()
              .withNewStatus()
              .withIncomplete(false)
              .withResourceRules(
                  new ResourceRuleBuilder()
                      .withApiGroups("coordination.k8s.io")
                      .withResources("leases")
                      .withVerbs("get", "create", "update")
                      .build())
              .endStatus()
              .build();
      server
          .expect()
          .post()
          .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
          .andReturn(201, allowed)
          .always();
      server.getClient().resource(lease("someone-else", ZonedDateTime.now().plusHours(1))).create();
    }
  }

  static Lease lease(String holder, ZonedDateTime renewTime) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(LEASE)
        .withNamespace(NS)
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(holder)
        .withLeaseDurationSeconds(3)
        .withAcquireTime(renewTime.minusSeconds(1))
        .withRenewTime(renewTime)
        .withLeaseTransitions(0)
        .endSpec()
        .build();
  }

  @Inject KubernetesClient client;
  @Inject LeaderElection leaderElection;

  @Test
  void aFollowerWritesNothingUntilTheLeaderIsGoneThenItTakesOver() {
    // The follower runs: it has read the Lease and is ready (informers synced), not leading.
    await().atMost(WAIT).until(() -> "someone-else".equals(leaderElection.currentLeader()));
    given().when().get("/q/health/ready").then().statusCode(200);
    assertThat(leaderElection.isLeader()).isFalse();

    FimPolicy created = create("while-following", "rules: [{paths: [/etc/ssh]}]");
    assertThat(created.getStatus()).isNull();
    // A negative cannot be awaited: hold the assertion over 40 retry periods of the elector.
    await()
        .pollDelay(Duration.ZERO)
        .during(Duration.ofSeconds(8))
        .atMost(Duration.ofSeconds(12))
        .untilAsserted(
            () -> {
              assertThat(daemonSet()).isNull();
              assertThat(
                      client
                          .resources(FimPolicy.class)
                          .withName("while-following")
                          .get()
                          .getStatus())
                  .isNull();
              assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("someone-else");
            });
    assertThat(client.serviceAccounts().inNamespace(NS).withName("kubefim-agent").get()).isNull();

    // The other replica dies: it stops renewing and its Lease runs out.
    client
        .resource(lease("someone-else", ZonedDateTime.now().minusMinutes(1)))
        .createOr(c -> c.update());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(ME);
              assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
              assertThat(leaderElection.isLeader()).isTrue();
              DaemonSet ds = daemonSet();
              assertThat(ds).isNotNull();
              assertThat(ds.getMetadata().getOwnerReferences())
                  .extracting(o -> o.getName())
                  .containsExactly("while-following");
              FimPolicy p = client.resources(FimPolicy.class).withName("while-following").get();
              assertThat(p.getStatus()).isNotNull();
              assertThat(p.getStatus().getObservedGeneration()).isEqualTo(1L);
            });
  }

  private FimPolicy create(String name, String specYaml) {
    FimPolicy p = Policies.policy(name, specYaml);
    p.getMetadata().setUid(null);
    p.getMetadata().setGeneration(null);
    return client.resource(p).create();
  }

  private Lease lease() {
    return client.leases().inNamespace(NS).withName(LEASE).get();
  }

  private DaemonSet daemonSet() {
    return client.apps().daemonSets().inNamespace(NS).withName(AgentDaemonSetRenderer.NAME).get();
  }
}
