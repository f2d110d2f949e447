package io.kubefim.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.FimPolicySpec;
import io.kubefim.api.policy.FimRule;
import io.kubefim.api.policy.MaintenanceWindowSpec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** config-service against Fabric8's mock API server: FimPolicy and Node informers. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class KubernetesModeIT {
  @Inject KubernetesClient client;

  static FimPolicy policy(String name, Map<String, String> selector, String... paths) {
    FimRule rule = new FimRule();
    rule.setPaths(List.of(paths));
    FimPolicySpec spec = new FimPolicySpec();
    spec.setRules(List.of(rule));
    if (selector != null) {
      spec.setNodeSelector(new LabelSelectorBuilder().withMatchLabels(selector).build());
    }
    return FimPolicy.of(name, spec);
  }

  static void node(KubernetesClient client, String name, Map<String, String> labels) {
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build())
        .createOr(n -> n.update());
  }

  static List<String> paths(String node) {
    return given().get("/v1/nodes/{n}/config", node).jsonPath().getList("rules.path");
  }

  @Test
  void compilesPerNodeFromPoliciesAndNodeLabels() {
    node(client, "web-1", Map.of("kubernetes.io/os", "linux", "pool", "web"));
    node(client, "db-1", Map.of("kubernetes.io/os", "linux", "pool", "db"));
    client.resource(policy("all", null, "/etc/crontab")).create();
    client.resource(policy("db", Map.of("pool", "db"), "/var/lib/db/bin")).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(paths("web-1")).containsExactly("/etc/crontab");
              assertThat(paths("db-1")).containsExactly("/etc/crontab", "/var/lib/db/bin");
            });
    given().get("/v1/nodes/unknown/config").then().statusCode(404);

    // A label change moves web-1 into the db pool: its config follows without a restart.
    node(client, "web-1", Map.of("kubernetes.io/os", "linux", "pool", "db"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> paths("web-1").equals(List.of("/etc/crontab", "/var/lib/db/bin")));

    // The rollout targets exactly the selected nodes.
    given()
        .get("/v1/policies/db/rollout")
        .then()
        .statusCode(200)
        .body("targetNodes", org.hamcrest.Matchers.equalTo(2))
        .body("readyNodes", org.hamcrest.Matchers.equalTo(0));

    client.resource(policy("db", Map.of("pool", "db"), "/var/lib/db/bin")).delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> paths("db-1").equals(List.of("/etc/crontab")));
  }

  /** Issue 15: a Windows node gets the Windows policy's files and keys; Linux nodes never do. */
  @Test
  void windowsNodesGetWindowsRulesAndCountInTheirPolicysRolloutOnly() throws Exception {
    node(client, "win-1", Map.of("kubernetes.io/os", "windows"));
    node(client, "lin-9", Map.of("kubernetes.io/os", "linux", "pool", "batch"));
    FimPolicy windows =
        io.kubefim.api.policy.PolicyFiles.load(
                java.nio.file.Path.of("..", "examples", "policies", "windows-recommended.yaml"))
            .policies()
            .get(0);
    client.resource(windows).create();
    client.resource(policy("batch", Map.of("pool", "batch"), "/opt/batch")).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(paths("win-1"))
                  .hasSize(8 + 15)
                  .contains(
                      "C:\\Windows\\win.ini", "HKEY_LOCAL_MACHINE\\SECURITY\\POLICY\\SECRETS");
              assertThat(paths("lin-9")).contains("/opt/batch").noneMatch(p -> p.startsWith("C:"));
            });
    given()
        .get("/v1/nodes/{n}/config", "win-1")
        .then()
        .body("rules.findAll { it.registry }.size()", org.hamcrest.Matchers.equalTo(15));
    given()
        .get("/v1/policies/windows-recommended/rollout")
        .then()
        .statusCode(200)
        .body("targetNodes", org.hamcrest.Matchers.equalTo(1))
        .body("nodes[0].node", org.hamcrest.Matchers.equalTo("win-1"));
    given()
        .get("/v1/policies/batch/rollout")
        .then()
        .body("targetNodes", org.hamcrest.Matchers.equalTo(1))
        .body("nodes[0].node", org.hamcrest.Matchers.equalTo("lin-9"));

    client.resource(windows).delete();
    client.resource(policy("batch", Map.of("pool", "batch"), "/opt/batch")).delete();
  }

  /**
   * Issue 17: the annotation kubefim.io/maintenance-until changes no generation, only metadata; the
   * node's config still gets the ad-hoc window (a new version), and loses it when it is removed.
   */
  @Test
  void anAnnotationAloneOpensAndClosesTheAdhocWindow() {
    node(client, "maint-1", Map.of("kubernetes.io/os", "linux", "pool", "maint"));
    FimPolicy p = policy("patching", Map.of("pool", "maint"), "/usr/bin");
    MaintenanceWindowSpec w = new MaintenanceWindowSpec();
    w.setName("sunday");
    w.setSchedule("0 2 * * 0");
    w.setDuration("2h");
    p.getSpec().setMaintenanceWindows(List.of(w));
    client.resource(p).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "sunday".equals(applied("maint-1", "maintenanceWindows[0].name")));
    String before = given().get("/v1/nodes/{n}/config", "maint-1").jsonPath().getString("version");
    assertThat(applied("maint-1", "maintenanceUntil")).isNull();

    client
        .resources(FimPolicy.class)
        .withName("patching")
        .edit(
            f -> {
              f.getMetadata()
                  .setAnnotations(
                      Map.of("kubefim.io/maintenance-until", "2026-12-03T20:00:00+01:00"));
              return f;
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "2026-12-03T19:00:00Z".equals(applied("maint-1", "maintenanceUntil")));
    assertThat(given().get("/v1/nodes/{n}/config", "maint-1").jsonPath().getString("version"))
        .isNotEqualTo(before);

    client
        .resources(FimPolicy.class)
        .withName("patching")
        .edit(
            f -> {
              f.getMetadata().setAnnotations(Map.of());
              return f;
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                applied("maint-1", "maintenanceUntil") == null
                    && given()
                        .get("/v1/nodes/{n}/config", "maint-1")
                        .jsonPath()
                        .getString("version")
                        .equals(before));
    client.resource(p).delete();
  }

  /** A field of the node's applied policy "patching". */
  private static String applied(String node, String field) {
    return given()
        .get("/v1/nodes/{n}/config", node)
        .jsonPath()
        .getString("policies.find { it.name == 'patching' }." + field);
  }
}
