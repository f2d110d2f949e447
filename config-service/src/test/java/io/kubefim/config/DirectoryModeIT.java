package io.kubefim.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** config-service in local mode: policies from a directory, long-poll, heartbeats, rollout. */
@QuarkusTest
@TestProfile(DirectoryModeIT.Profile.class)
class DirectoryModeIT {
  static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("kubefim-policies");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "kubefim.config.source", "directory",
          "kubefim.config.policies-dir", DIR.toString(),
          "kubefim.config.poll-interval", "50ms");
    }
  }

  static String policy(String name, String... paths) {
    StringBuilder b =
        new StringBuilder(
            "apiVersion: kubefim.io/v1alpha1\nkind: FimPolicy\nmetadata:\n  name: "
                + name
                + "\nspec:\n  rules:\n    - paths:\n");
    for (String p : paths) {
      b.append("        - ").append(p).append('\n');
    }
    return b.toString();
  }

  /** Writes like an editor: a temp file renamed over the target. */
  static void write(String file, String text) throws IOException {
    Path tmp = Files.writeString(DIR.resolve("." + file + ".tmp"), text);
    Files.move(tmp, DIR.resolve(file), StandardCopyOption.ATOMIC_MOVE);
  }

  @BeforeEach
  void reset() throws Exception {
    try (var files = Files.list(DIR)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    write("etc.yaml", policy("etc", "/etc/crontab"));
    awaitRules("n1", List.of("/etc/crontab"));
  }

  static Response config(String node) {
    return given().get("/v1/nodes/{n}/config", node);
  }

  static void awaitRules(String node, List<String> paths) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> config(node).jsonPath().getList("rules.path").equals(paths));
  }

  @Test
  void servesTheCompiledConfigWithItsVersionAsETag() {
    Response r = config("n1");
    r.then().statusCode(200).body("node", equalTo("n1")).body("formatVersion", equalTo(1));
    assertThat(r.getHeader("ETag")).isEqualTo("\"" + r.jsonPath().getString("version") + "\"");
    assertThat(r.jsonPath().getList("policies.name")).containsExactly("etc");
  }

  @Test
  void longPollAnswers304WhenNothingChanged() {
    String etag = config("n1").getHeader("ETag");
    given()
        .header("If-None-Match", etag)
        .queryParam("wait", "300ms")
        .get("/v1/nodes/n1/config")
        .then()
        .statusCode(304)
        .header("ETag", etag);
  }

  @Test
  void aPolicyEditWakesAWaitingAgent() throws Exception {
    String etag = config("n1").getHeader("ETag");
    CompletableFuture<Response> waiting =
        CompletableFuture.supplyAsync(
            () ->
                given()
                    .header("If-None-Match", etag)
                    .queryParam("wait", "20s")
                    .get("/v1/nodes/n1/config"));
    Thread.sleep(300); // let the request park
    assertThat(waiting).isNotDone();
    write("etc.yaml", policy("etc", "/etc/crontab", "/etc/hosts"));

    Response r = waiting.get(15, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("ETag")).isNotEqualTo(etag);
    assertThat(r.jsonPath().getList("rules.path")).containsExactly("/etc/crontab", "/etc/hosts");
  }

  @Test
  void anInvalidPolicyFileIsSkippedAndTheOthersStillApply() throws Exception {
    write("bad.yaml", policy("bad", "relative/path"));
    write("usr.yaml", policy("usr", "/usr/bin"));
    awaitRules("n1", List.of("/etc/crontab", "/usr/bin"));
    assertThat(config("n1").jsonPath().getList("policies.name")).containsExactly("etc", "usr");
  }

  @Test
  void aGlobThatCannotCompileLeavesOutOnlyItsPolicyWithTheErrorInItsRollout() throws Exception {
    // issue 11: "/etc/[z-a]" threw PatternSyntaxException and froze the snapshot for everyone
    write("bad.yaml", policy("bad", "/boot", "\"/etc/[z-a]\""));
    write("usr.yaml", policy("usr", "/usr/bin"));
    awaitRules("n1", List.of("/etc/crontab", "/usr/bin"));
    assertThat(config("n1").jsonPath().getList("policies.name")).containsExactly("etc", "usr");
    assertThat(config("n9").jsonPath().getList("rules.path"))
        .containsExactly("/etc/crontab", "/usr/bin");

    Response bad = given().get("/v1/policies/bad/rollout");
    bad.then().statusCode(200).body("targetNodes", equalTo(0));
    assertThat(bad.jsonPath().getList("problems.fieldPath"))
        .containsExactly("spec.rules[0].paths[1]");
    assertThat(bad.jsonPath().getString("problems[0].message")).startsWith("reversed range 'z-a'");
    assertThat(given().get("/v1/policies/usr/rollout").jsonPath().getList("problems")).isNull();
  }

  @Test
  void heartbeatsDriveTheRollout() {
    Response c = config("n2");
    String version = c.jsonPath().getString("version");
    given().get("/v1/policies/etc/rollout").then().statusCode(200).body("targetNodes", equalTo(0));

    given()
        .contentType("application/json")
        .body(
            Map.of(
                "formatVersion",
                1,
                "node",
                "n2",
                "appliedVersion",
                version,
                "appliedPolicies",
                List.of(Map.of("name", "etc", "generation", 0)),
                "state",
                "Ready"))
        .put("/v1/nodes/n2/status")
        .then()
        .statusCode(204);

    given()
        .get("/v1/policies/etc/rollout")
        .then()
        .statusCode(200)
        .body("targetNodes", equalTo(1))
        .body("appliedNodes", equalTo(1))
        .body("readyNodes", equalTo(1))
        .body("nodes[0].node", equalTo("n2"))
        .body("attributionUnavailable", org.hamcrest.Matchers.nullValue());

    // the agent's next heartbeat says it cannot attribute: the rollout carries its reason
    Map<String, Object> beat = new java.util.HashMap<>();
    beat.put("formatVersion", 1);
    beat.put("node", "n2");
    beat.put("appliedVersion", version);
    beat.put("appliedPolicies", List.of(Map.of("name", "etc", "generation", 0)));
    beat.put("state", "Ready");
    beat.put("attributionUnavailable", "no CAP_SYS_ADMIN: fanotify_init: EPERM");
    given()
        .contentType("application/json")
        .body(beat)
        .put("/v1/nodes/n2/status")
        .then()
        .statusCode(204);
    given()
        .get("/v1/policies/etc/rollout")
        .then()
        .statusCode(200)
        .body("readyNodes", equalTo(1))
        .body("attributionUnavailable.node", org.hamcrest.Matchers.contains("n2"))
        .body(
            "attributionUnavailable[0].message", equalTo("no CAP_SYS_ADMIN: fanotify_init: EPERM"));
  }

  @Test
  void badRequestsNameTheProblem() {
    given()
        .queryParam("wait", "soon")
        .get("/v1/nodes/n1/config")
        .then()
        .statusCode(400)
        .body("error", org.hamcrest.Matchers.startsWith("wait: "));
    given().get("/v1/policies/nope/rollout").then().statusCode(404);
    given()
        .contentType("application/json")
        .body(Map.of("node", "other"))
        .put("/v1/nodes/n1/status")
        .then()
        .statusCode(400)
        .body("error", org.hamcrest.Matchers.startsWith("node: "));
  }

  @Test
  void thereIsNoPodDirectoryInLocalMode() {
    given()
        .get("/v1/nodes/n1/pods/5f0c6a3e-1d2b-4c8e-9a7f-0e1d2c3b4a59")
        .then()
        .statusCode(404)
        .body("error", org.hamcrest.Matchers.startsWith("no pod directory in local mode"));
  }

  @Test
  void readinessIsUpOnceThePoliciesAreRead() {
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }
}
