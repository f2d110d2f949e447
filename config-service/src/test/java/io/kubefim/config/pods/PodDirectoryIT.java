package io.kubefim.config.pods;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubefim.config.auth.FakeTokenReviews;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pod directory against Fabric8's mock API server, with agent authentication on. The mock's
 * CRUD store cannot select pods by {@code spec.nodeName}, so the pod list of each node is an
 * expectation on the exact request config-service must send ({@code /api/v1/pods?fieldSelector=
 * spec.nodeName=<node>}, all namespaces), answered from {@link #PODS} and counted in {@link
 * #LISTS}. Nodes live in the CRUD store (the Node informer).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(FakeTokenReviews.Profile.class)
class PodDirectoryIT {
  static final String WEB = "5f0c6a3e-1d2b-4c8e-9a7f-0e1d2c3b4a59";
  static final String DB = "0b3e7c21-9f4a-4d6e-8c2b-7a1f0e9d8c76";
  static final String MIGRATE_ID = "1".repeat(64);
  static final String APP_ID = "2".repeat(64);
  static final String DEBUG_ID = "3".repeat(64);

  /** The pods the API server has, by uid. */
  static final Map<String, Pod> PODS = new ConcurrentHashMap<>();

  /** Pod lists config-service sent, by node. */
  static final Map<String, AtomicInteger> LISTS = new ConcurrentHashMap<>();

  @KubernetesTestServer KubernetesServer server;
  @Inject KubernetesClient client;

  @BeforeEach
  void apiServer() {
    FakeTokenReviews.install(server);
    for (String node : List.of("node-a", "node-b")) {
      client
          .nodes()
          .resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build())
          .createOr(x -> x.update());
      LISTS.putIfAbsent(node, new AtomicInteger());
      server
          .expect()
          .get()
          .withPath(
              "/api/v1/pods?fieldSelector="
                  + URLEncoder.encode("spec.nodeName=" + node, StandardCharsets.UTF_8))
          .andReply(200, req -> podsOn(node))
          .always();
    }
    PODS.put(
        WEB,
        pod(
            WEB,
            "web-0",
            "shop",
            "node-a",
            List.of(running("migrate", "containerd://" + MIGRATE_ID)),
            List.of(running("app", "containerd://" + APP_ID)),
            List.of(running("debugger-x7k2p", "containerd://" + DEBUG_ID))));
    PODS.put(
        DB,
        pod(
            DB,
            "db-0",
            "data",
            "node-b",
            List.of(),
            List.of(running("postgres", "containerd://" + "4".repeat(64))),
            List.of()));
    // Both nodes known to the Node informer: their configs answer.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                lookup("good-a", "node-a", "config").statusCode() == 200
                    && lookup("good-b", "node-b", "config").statusCode() == 200);
  }

  static Object podsOn(String node) {
    LISTS.get(node).incrementAndGet();
    return new PodListBuilder()
        .withNewMetadata()
        .withResourceVersion("1")
        .endMetadata()
        .withItems(
            PODS.values().stream().filter(p -> node.equals(p.getSpec().getNodeName())).toList())
        .build();
  }

  static ContainerStatus running(String name, String containerId) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withContainerID(containerId)
        .withNewState()
        .withNewRunning()
        .endRunning()
        .endState()
        .build();
  }

  static Pod pod(
      String uid,
      String name,
      String namespace,
      String node,
      List<ContainerStatus> init,
      List<ContainerStatus> main,
      List<ContainerStatus> ephemeral) {
    return new PodBuilder()
        .withNewMetadata()
        .withUid(uid)
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .endSpec()
        .withNewStatus()
        .withInitContainerStatuses(init)
        .withContainerStatuses(main)
        .withEphemeralContainerStatuses(ephemeral)
        .endStatus()
        .build();
  }

  /** GET /v1/nodes/{node}/{what} with {@code token}. */
  static Response lookup(String token, String node, String what) {
    return given().auth().oauth2(token).get("/v1/nodes/" + node + "/" + what);
  }

  static Response pod(String token, String node, String uid) {
    return lookup(token, node, "pods/" + uid);
  }

  @Test
  void theNodesAgentGetsItsPodWithItsContainerNames() {
    Response r = pod("good-a", "node-a", WEB);
    r.then()
        .statusCode(200)
        .body("formatVersion", equalTo(1))
        .body("uid", equalTo(WEB))
        .body("name", equalTo("web-0"))
        .body("namespace", equalTo("shop"));
    assertThat(r.jsonPath().getList("containers.name"))
        .containsExactly("migrate", "app", "debugger-x7k2p");
    assertThat(r.jsonPath().getList("containers.id")).containsExactly(MIGRATE_ID, APP_ID, DEBUG_ID);

    // The systemd cgroup driver writes the uid with underscores: the same pod.
    pod("good-a", "node-a", WEB.replace('-', '_')).then().statusCode(200).body("uid", equalTo(WEB));

    given()
        .get("/q/metrics")
        .then()
        .body(containsString("kubefim_config_pods_lookups_total{outcome=\"found\""))
        .body(containsString("kubefim_config_pods_lists_total{outcome=\"ok\""));
  }

  @Test
  void aPodOfAnotherNodeIsNotFoundForThisNodesAgentAndForbiddenOnThatNodesPath() {
    pod("good-a", "node-a", DB)
        .then()
        .statusCode(404)
        .body("error", equalTo("no pod with uid " + DB + " on node node-a"));
    pod("good-a", "node-b", DB)
        .then()
        .statusCode(403)
        .body("error", containsString("may not act for node node-b"));
    pod("good-b", "node-b", DB).then().statusCode(200).body("name", equalTo("db-0"));
  }

  @Test
  void anUnknownUidIsNotFoundAndJunkIsABadRequest() {
    String uid = UUID.randomUUID().toString();
    pod("good-a", "node-a", uid)
        .then()
        .statusCode(404)
        .body("status", equalTo(404))
        .body("error", equalTo("no pod with uid " + uid + " on node node-a"));
    pod("good-a", "node-a", "..%2Fsecrets")
        .then()
        .statusCode(400)
        .body("error", containsString("podUid: not a pod uid"));
    pod("good-a", "node-a", "x1").then().statusCode(400);
  }

  @Test
  void aPodCreatedAfterALookupIsFoundOnALaterMiss() {
    String uid = UUID.randomUUID().toString();
    pod("good-a", "node-a", uid).then().statusCode(404);
    PODS.put(
        uid,
        pod(
            uid,
            "job-1",
            "batch",
            "node-a",
            List.of(),
            List.of(running("job", "cri-o://" + "5".repeat(64))),
            List.of()));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(
            () ->
                pod("good-a", "node-a", uid)
                    .then()
                    .statusCode(200)
                    .body("name", equalTo("job-1"))
                    .body("containers[0].name", equalTo("job")));
  }

  @Test
  void aKubectlDebugContainerStartedAfterALookupIsNamedWhenAskedFor() {
    String uid = UUID.randomUUID().toString();
    String app = "6".repeat(64);
    String debugger = "7".repeat(64);
    Pod before =
        pod(
            uid,
            "api-0",
            "shop",
            "node-a",
            List.of(),
            List.of(running("api", "containerd://" + app)),
            List.of());
    PODS.put(uid, before);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> pod("good-a", "node-a", uid).statusCode() == 200);
    PODS.put(
        uid,
        new PodBuilder(before)
            .editStatus()
            .addToEphemeralContainerStatuses(running("debugger-q9w8e", "containerd://" + debugger))
            .endStatus()
            .build());
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(
            () ->
                assertThat(
                        given()
                            .auth()
                            .oauth2("good-a")
                            .queryParam("containerId", "containerd://" + debugger)
                            .get("/v1/nodes/node-a/pods/" + uid)
                            .jsonPath()
                            .getList("containers.name"))
                    .containsExactly("api", "debugger-q9w8e"));
    given()
        .auth()
        .oauth2("good-a")
        .queryParam("containerId", "not-hex")
        .get("/v1/nodes/node-a/pods/" + uid)
        .then()
        .statusCode(400)
        .body("error", containsString("containerId: not a container id"));
  }

  @Test
  void manyMissesListTheNodeAtMostOnceEveryTwoSeconds() {
    int before = LISTS.get("node-a").get();
    long start = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      pod("good-a", "node-a", UUID.randomUUID().toString()).then().statusCode(404);
    }
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    int lists = LISTS.get("node-a").get() - before;
    // Lists at least 2 s apart within the measured span: 1 + span / 2 s at most, however fast the
    // requests came; without the rate limit it would be 20.
    assertThat(lists).isBetween(0, 1 + (int) (elapsedMillis / 2000));
  }
}
