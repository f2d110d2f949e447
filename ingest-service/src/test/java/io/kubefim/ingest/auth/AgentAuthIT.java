package io.kubefim.ingest.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.kubefim.api.json.Json;
import io.kubefim.ingest.testing.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /v1/events with agent authentication against Fabric8's mock API server (TokenReview). */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(AgentAuthIT.Profile.class)
class AgentAuthIT {
  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "kubefim.auth.mode", "tokenreview",
          "kubefim.auth.agent-service-account", "kubefim:kubefim-agent");
    }
  }

  @KubernetesTestServer KubernetesServer server;

  @BeforeEach
  void apiServer() {
    server
        .expect()
        .post()
        .withPath("/apis/authentication.k8s.io/v1/tokenreviews")
        .andReply(201, req -> review(req.getBody().readUtf8()))
        .always();
  }

  /** Knows two tokens: node-a's agent, and a CI job's ServiceAccount; audience must be kubefim. */
  static TokenReview review(String body) {
    TokenReview in;
    try {
      in = Json.mapper().readValue(body, TokenReview.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String user =
        switch (in.getSpec().getToken()) {
          case "agent-a" -> "system:serviceaccount:kubefim:kubefim-agent";
          case "builder" -> "system:serviceaccount:ci:builder";
          default -> null;
        };
    if (user == null || !in.getSpec().getAudiences().equals(List.of("kubefim"))) {
      return new TokenReviewBuilder()
          .withNewStatus()
          .withAuthenticated(false)
          .withError("token audiences [\"kubefim\"] is invalid for the target audiences")
          .endStatus()
          .build();
    }
    return new TokenReviewBuilder()
        .withNewStatus()
        .withAuthenticated(true)
        .withNewUser()
        .withUsername(user)
        .withExtra(Map.of("authentication.kubernetes.io/node-name", List.of("node-a")))
        .endUser()
        .endStatus()
        .build();
  }

  static String batch(String computer) {
    return TestEvents.array(List.of(TestEvents.file(computer, "/etc/hosts")));
  }

  @Test
  void noTokenIs401() {
    given()
        .contentType("application/json")
        .body(batch("node-a"))
        .post("/v1/events")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "Bearer");
  }

  @Test
  void aTokenForAnotherAudienceIs401() {
    given()
        .auth()
        .oauth2("some-other-token")
        .contentType("application/json")
        .body(batch("node-a"))
        .post("/v1/events")
        .then()
        .statusCode(401)
        .body("error", containsString("token audiences"));
  }

  @Test
  void anotherServiceAccountIs403() {
    given()
        .auth()
        .oauth2("builder")
        .contentType("application/json")
        .body(batch("node-a"))
        .post("/v1/events")
        .then()
        .statusCode(403)
        .body("error", containsString("not the agents' ServiceAccount"));
  }

  @Test
  void anAgentReportsForItsOwnNodeOnly() {
    given()
        .auth()
        .oauth2("agent-a")
        .contentType("application/json")
        .body(batch("node-b"))
        .post("/v1/events")
        .then()
        .statusCode(403)
        .body("error", containsString("events[0].Computer: the token of node node-a"));
    given()
        .auth()
        .oauth2("agent-a")
        .contentType("application/json")
        .body(batch("node-a"))
        .post("/v1/events")
        .then()
        .statusCode(202);
  }
}
