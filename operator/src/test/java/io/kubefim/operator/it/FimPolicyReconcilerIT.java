package io.kubefim.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubefim.api.compile.FleetPlanner;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.FimPolicyStatus;
import io.kubefim.api.policy.NodeError;
import io.kubefim.api.policy.ValidationProblem;
import io.kubefim.api.status.PolicyRollout;
import io.kubefim.api.status.PolicyRollout.NodeRollout;
import io.kubefim.operator.Policies;
import io.kubefim.operator.dependent.AgentDaemonSetApplier;
import io.kubefim.operator.dependent.AgentDaemonSetRenderer;
import io.kubefim.operator.dependent.AgentSettings;
import io.kubefim.operator.dependent.WindowsAgentDaemonSetRenderer;
import io.kubefim.operator.status.StatusAggregator;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator against Fabric8's mock API server (CRUD mode, no server-side apply) and a fake
 * config-service: the cases of issue 5, and the Windows DaemonSet of issue 15.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(FakeConfigServiceResource.class)
class FimPolicyReconcilerIT {
  private static final String NS = "test";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject KubernetesClient client;
  @Inject AgentSettings settings;
  @Inject AgentDaemonSetApplier applier;

  @AfterEach
  void deleteEverything() {
    client.resources(FimPolicy.class).delete();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(client.resources(FimPolicy.class).list().getItems()).isEmpty());
    client.apps().daemonSets().inNamespace(NS).withName(AgentDaemonSetRenderer.NAME).delete();
    client
        .apps()
        .daemonSets()
        .inNamespace(NS)
        .withName(WindowsAgentDaemonSetRenderer.NAME)
        .delete();
    await().atMost(WAIT).until(() -> daemonSet() == null && windowsDaemonSet() == null);
    client.v1().events().inNamespace(NS).delete();
    FakeConfigServiceResource.fake().reset();
  }

  @Test
  void twoPoliciesWithDifferentSelectorsShareOneDaemonSet() {
    FimPolicy web =
        create(
            "web",
            """
            nodeSelector: {matchLabels: {role: web}}
            tolerations: [{key: dedicated, operator: Equal, value: web, effect: NoSchedule}]
            rules: [{paths: [/etc/nginx/nginx.conf]}]
            """);
    FimPolicy db =
        create(
            "db",
            """
            nodeSelector: {matchLabels: {role: db}}
            tolerations: [{key: dedicated, operator: Equal, value: db, effect: NoSchedule}]
            rules: [{paths: ["/var/lib/postgresql/*.conf"]}]
            """);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              DaemonSet ds = daemonSet();
              assertThat(ds).isNotNull();
              assertThat(ownerUids(ds)).containsExactlyInAnyOrder(uid(web), uid(db));
              assertThat(terms(ds)).hasSize(2);
            });
    DaemonSet ds = daemonSet();
    assertThat(terms(ds))
        .extracting(
            t ->
                t.getMatchExpressions().stream()
                    .filter(r -> r.getKey().equals("role"))
                    .findFirst()
                    .orElseThrow()
                    .getValues())
        .containsExactly(List.of("db"), List.of("web"));
    assertThat(ds.getSpec().getTemplate().getSpec().getTolerations())
        .extracting("value")
        .containsExactly("db", "web");
    assertThat(hostPaths(ds)).containsExactly("/etc/nginx", "/var/lib/postgresql");
    assertThat(client.serviceAccounts().inNamespace(NS).withName("kubefim-agent").get())
        .isNotNull();
    assertThat(client.apps().daemonSets().inNamespace(NS).list().getItems()).hasSize(1);
  }

  @Test
  void aRuleInsideTheMountsLeavesTheDaemonSetAloneOneOutsideChangesIt() {
    create("etc", "rules: [{paths: [\"/etc/*.conf\"]}]");
    await().atMost(WAIT).until(() -> daemonSet() != null);
    String version = daemonSet().getMetadata().getResourceVersion();

    edit("etc", "rules: [{paths: [\"/etc/*.conf\", /etc/crontab, /etc/ssh/sshd_config]}]");
    awaitObservedGeneration("etc", 2);
    assertThat(daemonSet().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(hostPaths(daemonSet())).containsExactly("/etc");

    edit("etc", "rules: [{paths: [\"/etc/*.conf\", /opt/app/config.yaml]}]");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(hostPaths(daemonSet())).containsExactly("/etc", "/opt/app"));
    assertThat(
            daemonSet().getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts())
        .filteredOn(m -> m.getName().startsWith("host-"))
        .extracting(m -> m.getMountPath())
        .containsExactly("/host/etc", "/host/opt/app");
  }

  @Test
  void deletingOnePolicyUpdatesTheDaemonSetDeletingTheLastRemovesIt() {
    FimPolicy a = create("a", "nodeSelector: {matchLabels: {role: a}}\nrules: [{paths: [/etc]}]");
    create("b", "nodeSelector: {matchLabels: {role: b}}\nrules: [{paths: [/opt/b]}]");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(daemonSet())
                    .isNotNull()
                    .satisfies(ds -> assertThat(terms(ds)).hasSize(2)));
    String uid = daemonSet().getMetadata().getUid();

    client.resources(FimPolicy.class).withName("b").delete();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              DaemonSet ds = daemonSet();
              assertThat(ownerUids(ds)).containsExactly(uid(a));
              assertThat(terms(ds)).hasSize(1);
              assertThat(hostPaths(ds)).containsExactly("/etc");
            });
    assertThat(daemonSet().getMetadata().getUid()).isEqualTo(uid);

    deleteTheLastPolicy("a");
  }

  @Test
  void anInvalidPolicyIsRejectedWithEveryFieldAnEventAndNoDaemonSetChange() {
    create("lonely-invalid", "rules: [{paths: [relative/path]}]");
    awaitCondition("lonely-invalid", "Accepted", "False");
    assertThat(daemonSet()).isNull();

    create("good", "rules: [{paths: [/etc]}]");
    await().atMost(WAIT).until(() -> daemonSet() != null);
    awaitCondition("good", "Accepted", "True");
    String version = daemonSet().getMetadata().getResourceVersion();

    FimPolicy bad =
        create(
            "bad",
            """
            rules:
              - paths: [etc/passwd, "/var/[oops"]
            scanInterval: 1m
            """);
    Condition accepted = awaitCondition("bad", "Accepted", "False");
    assertThat(accepted.getReason()).isEqualTo("InvalidPolicy");
    assertThat(accepted.getMessage())
        .contains("spec.rules[0].paths[0]: must be an absolute path")
        .contains("spec.rules[0].paths[1]")
        .contains("spec.scanInterval: must be at least 5m");
    assertThat(accepted.getObservedGeneration()).isEqualTo(1L);
    assertThat(StatusAggregator.find(policy("bad").getStatus(), "Ready").getReason())
        .isEqualTo("NotAccepted");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(events("bad"))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getReason()).isEqualTo("InvalidPolicy");
                          assertThat(e.getInvolvedObject().getUid()).isEqualTo(uid(bad));
                          assertThat(e.getMessage()).contains("spec.scanInterval");
                        }));
    assertThat(daemonSet().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(ownerNames(daemonSet())).containsExactly("good");
    // the spec is never rewritten
    assertThat(policy("bad").getSpec().getScanInterval()).isEqualTo("1m");
    assertThat(policy("bad").getMetadata().getGeneration()).isEqualTo(1L);
  }

  @Test
  void aGlobThatCannotCompileRejectsOnlyItsPolicy() {
    // issue 11: "/etc/[z-a]" threw out of validation and planning, so no policy reconciled
    create("zeta", "rules: [{paths: [\"/etc/[z-a]\"]}]");
    create("good", "rules: [{paths: [/etc]}]");

    Condition accepted = awaitCondition("zeta", "Accepted", "False");
    assertThat(accepted.getReason()).isEqualTo("InvalidPolicy");
    assertThat(accepted.getMessage()).startsWith("spec.rules[0].paths[0]: reversed range 'z-a'");
    awaitCondition("good", "Accepted", "True");
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(ownerNames(daemonSet())).containsExactly("good"));
  }

  @Test
  void aPolicyConfigServiceCannotCompileIsNotAccepted() {
    FakeConfigServiceResource.fake()
        .put(
            new PolicyRollout(
                "served-bad",
                1,
                0,
                0,
                0,
                List.of(),
                List.of(new ValidationProblem("spec", "cannot be compiled: boom"))));
    create("served-bad", "rules: [{paths: [/etc]}]");

    Condition accepted = awaitCondition("served-bad", "Accepted", "False");
    assertThat(accepted.getMessage()).isEqualTo("spec: cannot be compiled: boom");
    assertThat(StatusAggregator.find(policy("served-bad").getStatus(), "Ready").getReason())
        .isEqualTo("NotAccepted");
  }

  @Test
  void metricsAreServedAsPrometheusTextWithoutAToken() {
    // issue 11: the chart's ServiceMonitor scraped /q/metrics, which answered 404
    create("metered", "rules: [{paths: [/etc]}]");
    awaitCondition("metered", "Accepted", "True");
    io.restassured.response.Response r =
        io.restassured.RestAssured.given().accept("text/plain").get("/q/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/plain");
    // JOSDK reconciliation metrics, through quarkus-operator-sdk's Micrometer provider
    assertThat(r.asString()).contains("# TYPE jvm_memory_used_bytes gauge");
    assertThat(r.asString()).containsPattern("(?m)^reconciliations_started_total\\{.*fimpolicy");
  }

  @Test
  void statusNumbersComeFromConfigService() {
    FakeConfigService fake = FakeConfigServiceResource.fake();
    Instant seen = Instant.parse("2025-01-01T00:00:00Z");
    fake.put(
        new PolicyRollout(
            "pci",
            1,
            3,
            2,
            1,
            List.of(
                new NodeRollout("node-a", true, true, seen, null),
                new NodeRollout("node-b", true, false, seen, "/etc/cron.daily: no such directory"),
                new NodeRollout("node-c", false, false, null, null))));
    create("pci", "rules: [{paths: [/etc/crontab, /etc/cron.daily]}]");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              FimPolicyStatus s = policy("pci").getStatus();
              assertThat(s).isNotNull();
              assertThat(s.getTargetNodes()).isEqualTo(3);
              assertThat(s.getAppliedNodes()).isEqualTo(2);
              assertThat(s.getReadyNodes()).isEqualTo(1);
              assertThat(s.getNodeErrors())
                  .containsExactly(new NodeError("node-b", "/etc/cron.daily: no such directory"));
              assertThat(StatusAggregator.find(s, "Ready").getReason()).isEqualTo("NodesNotReady");
            });
    String acceptedSince =
        StatusAggregator.find(policy("pci").getStatus(), "Accepted").getLastTransitionTime();

    fake.put(new PolicyRollout("pci", 1, 3, 3, 3, List.of()));
    Condition ready = awaitCondition("pci", "Ready", "True");
    assertThat(ready.getReason()).isEqualTo("AllNodesReady");
    assertThat(policy("pci").getStatus().getNodeErrors()).isEmpty();

    fake.down(true);
    Condition unknown = awaitCondition("pci", "Ready", "Unknown");
    assertThat(unknown.getReason()).isEqualTo("ConfigServiceUnavailable");
    assertThat(unknown.getMessage()).contains("503");
    assertThat(policy("pci").getStatus().getReadyNodes()).isEqualTo(3);

    fake.down(false);
    awaitCondition("pci", "Ready", "True");
    FimPolicy after = policy("pci");
    assertThat(StatusAggregator.find(after.getStatus(), "Accepted").getLastTransitionTime())
        .isEqualTo(acceptedSince);
    assertThat(after.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(after.getStatus().getObservedGeneration()).isEqualTo(1L);
  }

  @Test
  void aPolicyAskingForAttributionGetsHostPidAndItsConditionPausingItTakesThemAway() {
    create("etc", "rules: [{paths: [/etc/crontab]}]");
    await().atMost(WAIT).until(() -> daemonSet() != null);
    assertThat(daemonSet().getSpec().getTemplate().getSpec().getHostPID()).isNull();
    assertThat(StatusAggregator.find(policy("etc").getStatus(), "Attribution")).isNull();

    FakeConfigServiceResource.fake()
        .put(
            new PolicyRollout(
                "who",
                1,
                2,
                2,
                2,
                List.of(),
                List.of(),
                List.of(new PolicyRollout.NodeMessage("node-b", "no CAP_SYS_ADMIN"))));
    create("who", "attribution: true\nrules: [{paths: [/etc/passwd]}]");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var pod = daemonSet().getSpec().getTemplate().getSpec();
              assertThat(pod.getHostPID()).isTrue();
              assertThat(pod.getContainers().get(0).getSecurityContext().getCapabilities().getAdd())
                  .containsExactly("DAC_READ_SEARCH", "SYS_ADMIN", "SYS_PTRACE");
            });
    Condition c = awaitCondition("who", "Attribution", "False");
    assertThat(c.getReason()).isEqualTo("Unavailable");
    assertThat(c.getMessage()).contains("node-b: no CAP_SYS_ADMIN");
    assertThat(c.getObservedGeneration()).isEqualTo(1L);
    assertThat(StatusAggregator.find(policy("etc").getStatus(), "Attribution")).isNull();

    FakeConfigServiceResource.fake().put(new PolicyRollout("who", 1, 2, 2, 2, List.of()));
    assertThat(awaitCondition("who", "Attribution", "True").getReason()).isEqualTo("Active");

    edit("who", "attribution: true\npaused: true\nrules: [{paths: [/etc/passwd]}]");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var pod = daemonSet().getSpec().getTemplate().getSpec();
              assertThat(pod.getHostPID()).isNull();
              assertThat(pod.getContainers().get(0).getSecurityContext().getCapabilities().getAdd())
                  .containsExactly("DAC_READ_SEARCH");
            });
  }

  @Test
  void zeroTargetNodesIsNotReady() {
    FakeConfigServiceResource.fake().put(new PolicyRollout("nowhere", 1, 0, 0, 0, List.of()));
    create("nowhere", "nodeSelector: {matchLabels: {role: none}}\nrules: [{paths: [/etc]}]");
    Condition ready = awaitCondition("nowhere", "Ready", "False");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        StatusAggregator.find(policy("nowhere").getStatus(), "Ready").getReason())
                    .isEqualTo("NoTargetNodes"));
    assertThat(ready.getObservedGeneration()).isEqualTo(1L);
  }

  @Test
  void anExistingDaemonSetIsAdoptedNotRecreated() {
    // What a previous operator run left behind: the DaemonSet for this policy, owned by an
    // earlier incarnation of it (stale uid).
    FimPolicy before = Policies.policy("adopt", "rules: [{paths: [/etc/ssh/sshd_config]}]");
    before.getMetadata().setUid("stale-uid");
    DaemonSet existing =
        AgentDaemonSetRenderer.desired(
            FleetPlanner.plan(List.of(before)), settings, List.of(before));
    existing.getMetadata().getLabels().put("team", "security");
    DaemonSet created = client.apps().daemonSets().inNamespace(NS).resource(existing).create();

    FimPolicy adopt = create("adopt", "rules: [{paths: [/etc/ssh/sshd_config]}]");
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(ownerUids(daemonSet())).containsExactly(uid(adopt)));
    DaemonSet after = daemonSet();
    assertThat(after.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
    assertThat(after.getSpec()).isEqualTo(created.getSpec());
    assertThat(after.getMetadata().getLabels()).containsEntry("team", "security");
  }

  @Test
  void anIncompleteCacheDoesNotShrinkTheDaemonSet() {
    FimPolicy kept = create("kept", "rules: [{paths: [/etc]}]");
    await().atMost(WAIT).until(() -> daemonSet() != null);
    String version = daemonSet().getMetadata().getResourceVersion();

    // as on a first reconcile with a partial cache (java-operator-sdk issue 2869): the owner the
    // cache misses is looked up on the API server and kept
    assertThat(applier.converge(List.of(), null))
        .isEqualTo(
            new AgentDaemonSetApplier.Result(
                AgentDaemonSetApplier.Outcome.UNCHANGED, AgentDaemonSetApplier.Outcome.UNCHANGED));
    assertThat(daemonSet().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(ownerUids(daemonSet())).containsExactly(uid(kept));
  }

  @Test
  void aWindowsPolicyGetsTheHostProcessDaemonSetALinuxPolicyTheLinuxOneEachGoesWithItsPolicy() {
    FimPolicy win = create("win", Policies.WINDOWS_SPEC);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              DaemonSet ds = windowsDaemonSet();
              assertThat(ds).isNotNull();
              var pod = ds.getSpec().getTemplate().getSpec();
              assertThat(pod.getSecurityContext().getWindowsOptions().getHostProcess()).isTrue();
              assertThat(pod.getSecurityContext().getWindowsOptions().getRunAsUserName())
                  .isEqualTo("NT AUTHORITY\\SYSTEM");
              assertThat(pod.getHostNetwork()).isTrue();
              assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "windows");
              assertThat(ownerUids(ds)).containsExactly(uid(win));
            });
    awaitCondition("win", "Accepted", "True");
    assertThat(daemonSet()).as("no Linux DaemonSet for a Windows policy").isNull();
    assertThat(client.serviceAccounts().inNamespace(NS).withName("kubefim-agent").get())
        .isNotNull();
    String windowsUid = windowsDaemonSet().getMetadata().getUid();

    FimPolicy etc = create("etc", "rules: [{paths: [/etc/crontab]}]");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(daemonSet()).isNotNull();
              assertThat(ownerUids(daemonSet())).containsExactly(uid(etc));
              assertThat(
                      client
                          .serviceAccounts()
                          .inNamespace(NS)
                          .withName("kubefim-agent")
                          .get()
                          .getMetadata()
                          .getOwnerReferences())
                  .extracting(OwnerReference::getName)
                  .containsExactly("etc", "win");
            });
    assertThat(ownerUids(windowsDaemonSet())).containsExactly(uid(win));
    assertThat(windowsDaemonSet().getMetadata().getUid()).isEqualTo(windowsUid);
    assertThat(client.apps().daemonSets().inNamespace(NS).list().getItems()).hasSize(2);

    client.resources(FimPolicy.class).withName("win").delete();
    await().atMost(WAIT).until(() -> windowsDaemonSet() == null);
    assertThat(daemonSet()).isNotNull();
    assertThat(ownerUids(daemonSet())).containsExactly(uid(etc));
    assertThat(client.serviceAccounts().inNamespace(NS).withName("kubefim-agent").get())
        .isNotNull();

    deleteTheLastPolicy("etc");
  }

  @Test
  void onePolicyForLinuxAndWindowsNodesGetsBothDaemonSetsAndCountsBothKindsOfNode() {
    report("both", 2, 2, 2, readyNode("aks-linux-0"), readyNode("akswin000000"));
    FimPolicy both = create("both", Policies.LINUX_AND_WINDOWS_SPEC);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(daemonSet()).isNotNull();
              assertThat(windowsDaemonSet()).isNotNull();
            });
    assertThat(ownerUids(daemonSet())).containsExactly(uid(both));
    assertThat(ownerUids(windowsDaemonSet())).containsExactly(uid(both));
    assertThat(hostPaths(daemonSet())).containsExactly("/etc");
    assertThat(hostPaths(windowsDaemonSet())).isEmpty();
    Condition ready = awaitCondition("both", "Ready", "True");
    assertThat(ready.getMessage()).isEqualTo("2 of 2 nodes ready, 2 applied");
    assertThat(policy("both").getStatus().getTargetNodes()).isEqualTo(2);

    client.resources(FimPolicy.class).withName("both").delete();
    await().atMost(WAIT).until(() -> daemonSet() == null && windowsDaemonSet() == null);
  }

  @Test
  void aWindowsPolicyCountsTheWindowsNodesItsAgentsReport() {
    report(
        "win",
        2,
        1,
        1,
        readyNode("akswin000000"),
        new NodeRollout("akswin000001", false, false, null, null));
    create("win", Policies.WINDOWS_SPEC);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              FimPolicyStatus s = policy("win").getStatus();
              assertThat(s).isNotNull();
              assertThat(s.getTargetNodes()).isEqualTo(2);
              assertThat(s.getAppliedNodes()).isEqualTo(1);
              assertThat(s.getReadyNodes()).isEqualTo(1);
              assertThat(StatusAggregator.find(s, "Ready").getReason()).isEqualTo("NodesNotReady");
            });

    report("win", 0, 0, 0);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(StatusAggregator.find(policy("win").getStatus(), "Ready").getMessage())
                    .isEqualTo("the node selector matches no Windows node"));

    report("win", 2, 2, 2, readyNode("akswin000000"), readyNode("akswin000001"));
    assertThat(awaitCondition("win", "Ready", "True").getReason()).isEqualTo("AllNodesReady");
  }

  // --- helpers -------------------------------------------------------------------------------

  /** The fake config-service reports generation 1 of {@code policy} with these counts. */
  private static void report(
      String policy, int target, int applied, int ready, NodeRollout... nodes) {
    FakeConfigServiceResource.fake()
        .put(new PolicyRollout(policy, 1, target, applied, ready, List.of(nodes)));
  }

  private static NodeRollout readyNode(String node) {
    return new NodeRollout(node, true, true, Instant.parse("2025-01-01T00:00:00Z"), null);
  }

  private FimPolicy create(String name, String specYaml) {
    FimPolicy p = Policies.policy(name, specYaml);
    p.getMetadata().setUid(null);
    p.getMetadata().setGeneration(null);
    return client.resource(p).create();
  }

  private void edit(String name, String specYaml) {
    FimPolicy next = Policies.policy(name, specYaml);
    client
        .resources(FimPolicy.class)
        .withName(name)
        .edit(
            p -> {
              p.setSpec(next.getSpec());
              return p;
            });
  }

  private FimPolicy policy(String name) {
    return client.resources(FimPolicy.class).withName(name).get();
  }

  private DaemonSet daemonSet() {
    return client.apps().daemonSets().inNamespace(NS).withName(AgentDaemonSetRenderer.NAME).get();
  }

  private DaemonSet windowsDaemonSet() {
    return client
        .apps()
        .daemonSets()
        .inNamespace(NS)
        .withName(WindowsAgentDaemonSetRenderer.NAME)
        .get();
  }

  /** Deletes {@code name}, the last policy: the DaemonSets and the ServiceAccount go with it. */
  private void deleteTheLastPolicy(String name) {
    client.resources(FimPolicy.class).withName(name).delete();
    await().atMost(WAIT).until(() -> daemonSet() == null && windowsDaemonSet() == null);
    await()
        .atMost(WAIT)
        .until(
            () -> client.serviceAccounts().inNamespace(NS).withName("kubefim-agent").get() == null);
  }

  private void awaitObservedGeneration(String name, long generation) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              FimPolicy p = policy(name);
              assertThat(p.getMetadata().getGeneration()).isEqualTo(generation);
              assertThat(p.getStatus()).isNotNull();
              assertThat(p.getStatus().getObservedGeneration()).isEqualTo(generation);
            });
  }

  private Condition awaitCondition(String name, String type, String status) {
    return await()
        .atMost(WAIT)
        .until(
            () -> StatusAggregator.find(policy(name).getStatus(), type),
            c -> c != null && status.equals(c.getStatus()));
  }

  private List<Event> events(String policyName) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> policyName.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private static String uid(FimPolicy p) {
    return p.getMetadata().getUid();
  }

  private static List<String> ownerUids(DaemonSet ds) {
    return ds.getMetadata().getOwnerReferences().stream().map(OwnerReference::getUid).toList();
  }

  private static List<String> ownerNames(DaemonSet ds) {
    return ds.getMetadata().getOwnerReferences().stream().map(OwnerReference::getName).toList();
  }

  private static List<NodeSelectorTerm> terms(DaemonSet ds) {
    return ds.getSpec()
        .getTemplate()
        .getSpec()
        .getAffinity()
        .getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms();
  }

  private static List<String> hostPaths(DaemonSet ds) {
    return ds.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getName().startsWith("host-"))
        .map(Volume::getHostPath)
        .map(h -> h.getPath())
        .toList();
  }
}
