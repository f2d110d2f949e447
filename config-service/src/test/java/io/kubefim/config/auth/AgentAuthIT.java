package io.kubefim.config.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubefim.config.serve.ConfigResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Agent authentication against Fabric8's mock API server: the TokenReview endpoint answers like a
 * real API server for a few known tokens ({@link FakeTokenReviews}); pods and nodes live in the
 * CRUD store.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(FakeTokenReviews.Profile.class)
class AgentAuthIT {
  static final String OPERATOR = FakeTokenReviews.OPERATOR;

  @KubernetesTestServer KubernetesServer server;
  @Inject KubernetesClient client;

  @BeforeEach
  void apiServer() {
    FakeTokenReviews.install(server);
    for (String n : List.of("node-a", "node-b")) {
      client
          .nodes()
          .resource(new NodeBuilder().withNewMetadata().withName(n).endMetadata().build())
          .createOr(x -> x.update());
    }
    client
        .pods()
        .inNamespace("kubefim")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("agent-b")
                .withNamespace("kubefim")
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-b")
                .endSpec()
                .build())
        .createOr(x -> x.update());
  }

  @Test
  void noTokenIs401() {
    given()
        .get("/v1/nodes/node-a/config")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "Bearer")
        .body("error", containsString("bearer token is required"));
  }

  @Test
  void aTokenTheApiServerRejectsIs401() {
    given()
        .auth()
        .oauth2("wrong-audience-token")
        .get("/v1/nodes/node-a/config")
        .then()
        .statusCode(401)
        .body("error", containsString("token audiences"));
  }

  @Test
  void anotherServiceAccountIs403() {
    given()
        .auth()
        .oauth2("builder")
        .get("/v1/nodes/node-a/config")
        .then()
        .statusCode(403)
        .body("error", containsString("is not the agents' ServiceAccount"));
  }

  @Test
  void anAgentMayReadAndReportOnlyItsOwnNode() {
    given().auth().oauth2("good-a").get("/v1/nodes/node-a/config").then().statusCode(200);
    given()
        .auth()
        .oauth2("good-a")
        .get("/v1/nodes/node-b/config")
        .then()
        .statusCode(403)
        .body("error", containsString("may not act for node node-b"));
    given()
        .auth()
        .oauth2("good-a")
        .contentType("application/json")
        .body(Map.of("node", "node-b", "state", "Ready"))
        .put("/v1/nodes/node-b/status")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2("good-a")
        .contentType("application/json")
        .body(Map.of("node", "node-a", "state", "Ready"))
        .put("/v1/nodes/node-a/status")
        .then()
        .statusCode(204);
  }

  @Test
  void theRolloutIsTheOperatorsOnly() {
    // issue 11: GET /v1/policies/{name}/rollout answered 200 with no token
    given()
        .get("/v1/policies/any/rollout")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "Bearer");
    given()
        .auth()
        .oauth2("wrong-audience-token")
        .get("/v1/policies/any/rollout")
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2("good-a")
        .get("/v1/policies/any/rollout")
        .then()
        .statusCode(403)
        .body("error", containsString("only " + OPERATOR));
    given()
        .auth()
        .oauth2("operator")
        .get("/v1/policies/any/rollout")
        .then()
        .statusCode(404)
        .body("error", containsString("unknown policy: any"));
    // and the operator's token acts for no node
    given().auth().oauth2("operator").get("/v1/nodes/node-a/config").then().statusCode(403);
  }

  /**
   * Every JAX-RS route of config-service, found by reflection over the compiled resource classes
   * (so a route added later is covered without editing this test), refuses a request without a
   * token; health and metrics stay open.
   */
  @Test
  void everyRouteButHealthAndMetricsRefusesARequestWithoutAToken() throws Exception {
    List<String[]> routes = Routes.all(ConfigResource.class);
    assertThat(routes)
        .extracting(r -> r[0] + " " + r[1])
        .contains(
            "GET /v1/nodes/{node}/config",
            "PUT /v1/nodes/{node}/status",
            "GET /v1/nodes/{node}/pods/{podUid}",
            "GET /v1/policies/{name}/rollout");
    for (String[] route : routes) {
      String path = route[1].replaceAll("\\{([^}:]+)(:[^}]*)?}", "x1");
      io.restassured.specification.RequestSpecification req = given();
      if (!route[0].equals("GET") && !route[0].equals("HEAD")) {
        req = req.contentType("application/json").body("{}");
      }
      int status = req.request(route[0], path).statusCode();
      assertThat(status).as("%s %s without a token", route[0], route[1]).isEqualTo(401);
    }
    for (String open : List.of("/q/health/live", "/q/health/ready", "/q/metrics")) {
      assertThat(given().get(open).statusCode()).as(open).isEqualTo(200);
    }
  }

  @Test
  void withoutANodeClaimTheTokensPodIsLookedUp() {
    given().auth().oauth2("legacy-b").get("/v1/nodes/node-b/config").then().statusCode(200);
    given().auth().oauth2("legacy-b").get("/v1/nodes/node-a/config").then().statusCode(403);
  }
}
