package io.kubefim.ingest.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kubefim.ingest.testing.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Marking changes reviewed (issue 17) with reader logins on: {@code POST
 * /v1/machines/{computer}/review} for scripts and the machine page's form, each 401 without a
 * login, 403 without the RBAC grant, 409 (nothing marked) on a count other than the store's, 200
 * (the form: 303 back to the page) when it marks, recording the reader's login name. The form is
 * refused from another site.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(ReaderProfile.class)
class ReviewAccessIT {
  private static final String NODE = "node-a"; // the only node the agent token may write

  @KubernetesTestServer KubernetesServer server;

  @BeforeEach
  void apiServer() {
    ReaderProfile.install(server);
  }

  /** Two unexpected changes and an expected one, now, under {@code dir}. */
  private static void seed(String dir) {
    given()
        .auth()
        .oauth2(ReaderProfile.AGENT_TOKEN)
        .contentType("application/json")
        .body(
            TestEvents.array(
                List.of(
                    now(TestEvents.file(NODE, dir + "/a")),
                    now(TestEvents.file(NODE, dir + "/b")),
                    now(TestEvents.expected(NODE, dir + "/ls", "PackageManager:/usr/bin/dpkg")))))
        .post("/v1/events")
        .then()
        .statusCode(202);
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode now(
      com.fasterxml.jackson.databind.node.ObjectNode e) {
    return e.put("TimeGenerated", java.time.Instant.now().toString());
  }

  private static JsonPath state(String token) {
    return given()
        .auth()
        .oauth2(token)
        .get("/v1/machines/" + NODE + "/review")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void theApiMarksWhatTheReaderSawAndRefusesAnotherCount() {
    given()
        .contentType("application/json")
        .body("{\"throughSeq\":1,\"count\":0}")
        .post("/v1/machines/" + NODE + "/review")
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2("bob-token")
        .contentType("application/json")
        .body("{\"throughSeq\":1,\"count\":0}")
        .post("/v1/machines/" + NODE + "/review")
        .then()
        .statusCode(403);
    seed("/etc/review-api");
    JsonPath before = state("auditor-token");
    long n = before.getLong("unreviewed");
    long seq = before.getLong("throughSeq");
    assertThat(n).isGreaterThanOrEqualTo(2);

    given()
        .auth()
        .oauth2("auditor-token")
        .contentType("application/json")
        .body(Map.of("throughSeq", seq, "count", n + 1))
        .post("/v1/machines/" + NODE + "/review")
        .then()
        .statusCode(409)
        .body("unreviewed", equalTo((int) n))
        .body("error", containsString("new changes arrived"));
    assertThat(state("auditor-token").getLong("unreviewed")).isEqualTo(n);

    given()
        .auth()
        .oauth2("auditor-token")
        .contentType("application/json")
        .body("{\"throughSeq\":\"x\",\"count\":1}")
        .post("/v1/machines/" + NODE + "/review")
        .then()
        .statusCode(400)
        .body("error", containsString("throughSeq"));
    given()
        .auth()
        .oauth2("auditor-token")
        .contentType("text/plain")
        .body(Map.of("throughSeq", seq, "count", n).toString())
        .post("/v1/machines/" + NODE + "/review")
        .then()
        .statusCode(415);
    given()
        .auth()
        .oauth2("auditor-token")
        .header("Origin", "https://evil.example")
        .contentType("application/json")
        .body(Map.of("throughSeq", seq, "count", n))
        .post("/v1/machines/" + NODE + "/review")
        .then()
        .statusCode(403);

    given()
        .auth()
        .oauth2("auditor-token")
        .contentType("application/json")
        .body(Map.of("throughSeq", seq, "count", n))
        .post("/v1/machines/" + NODE + "/review")
        .then()
        .statusCode(200)
        .body("reviewed", equalTo((int) n))
        .body("reviewedBy", equalTo("system:serviceaccount:ci:auditor"));
    assertThat(state("auditor-token").getLong("unreviewed")).isZero();
    JsonPath events =
        given()
            .auth()
            .oauth2("auditor-token")
            .queryParam("computer", NODE)
            .queryParam("pathPrefix", "/etc/review-api")
            .queryParam("expected", "false")
            .get("/v1/events")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(events.getList("ReviewedBy", String.class))
        .containsExactly("system:serviceaccount:ci:auditor", "system:serviceaccount:ci:auditor");
  }

  @Test
  void thePageFormMarksOnlyFromThisSiteAndSaysWhenNewChangesArrived() {
    String here = "http://localhost:" + RestAssured.port;
    given()
        .redirects()
        .follow(false)
        .contentType("application/x-www-form-urlencoded")
        .header("Origin", here)
        .formParam("throughSeq", "1")
        .formParam("count", "0")
        .post("/machines/" + NODE + "/review")
        .then()
        .statusCode(401);
    seed("/etc/review-form");
    String page =
        given()
            .auth()
            .oauth2(ReaderProfile.LOCAL_TOKEN)
            .get("/machines/" + NODE)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(page).contains("Mark reviewed");
    JsonPath shown = state(ReaderProfile.LOCAL_TOKEN);
    String seq = Long.toString(shown.getLong("throughSeq"));
    String n = Long.toString(shown.getLong("unreviewed"));
    assertThat(page).contains("name=\"throughSeq\" value=\"" + seq + "\"");

    for (Map<String, String> foreign :
        List.of(
            Map.of("Origin", "https://evil.example"),
            Map.of("Referer", "https://evil.example/page"),
            Map.<String, String>of())) {
      given()
          .auth()
          .oauth2(ReaderProfile.LOCAL_TOKEN)
          .redirects()
          .follow(false)
          .headers(foreign)
          .contentType("application/x-www-form-urlencoded")
          .formParam("throughSeq", seq)
          .formParam("count", n)
          .post("/machines/" + NODE + "/review")
          .then()
          .statusCode(403);
    }
    assertThat(state(ReaderProfile.LOCAL_TOKEN).getString("unreviewed")).isEqualTo(n);

    given()
        .auth()
        .oauth2(ReaderProfile.LOCAL_TOKEN)
        .redirects()
        .follow(false)
        .header("Origin", here)
        .contentType("application/x-www-form-urlencoded")
        .formParam("throughSeq", seq)
        .formParam("count", Long.parseLong(n) - 1)
        .post("/machines/" + NODE + "/review")
        .then()
        .statusCode(409)
        .body(containsString("New changes arrived"))
        .body(containsString("Reload the page"));

    given()
        .auth()
        .oauth2(ReaderProfile.LOCAL_TOKEN)
        .redirects()
        .follow(false)
        .header("Referer", here + "/machines/" + NODE)
        .contentType("application/x-www-form-urlencoded")
        .formParam("throughSeq", seq)
        .formParam("count", n)
        .post("/machines/" + NODE + "/review")
        .then()
        .statusCode(303)
        .header("Location", org.hamcrest.Matchers.endsWith("/machines/" + NODE));
    assertThat(state(ReaderProfile.LOCAL_TOKEN).getLong("unreviewed")).isZero();
    given()
        .auth()
        .oauth2(ReaderProfile.LOCAL_TOKEN)
        .get("/machines/" + NODE)
        .then()
        .body(containsString("reviewed by kubefim:local-reader"));
  }
}
