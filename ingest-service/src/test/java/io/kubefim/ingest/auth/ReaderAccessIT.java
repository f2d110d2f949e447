package io.kubefim.ingest.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.kubefim.ingest.testing.TestEvents;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Readers log in and RBAC decides (SPEC §7), every way a reader can come: a Kubernetes token
 * (TokenReview + SubjectAccessReview on Fabric8's mock API server), an OIDC bearer token and the
 * OIDC code flow of a browser (against {@link FakeIssuer}), and the local token with its login
 * link. An agent's token writes and never reads.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(ReaderProfile.class)
class ReaderAccessIT {
  @KubernetesTestServer KubernetesServer server;

  @TestHTTPResource("/")
  URL root;

  @BeforeEach
  void apiServer() {
    ReaderProfile.install(server);
  }

  static FakeIssuer issuer() {
    return ReaderProfile.IssuerResource.issuer;
  }

  @Test
  void withoutALoginTheApiIs401AndTheBrowserIsSentToTheIssuer() {
    for (String path : List.of("/v1/events", "/v1/summary", "/machines/node-a/changes.csv")) {
      given().get(path).then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
    }
    String location =
        given()
            .redirects()
            .follow(false)
            .accept("text/html")
            .get("/")
            .then()
            .statusCode(302)
            .extract()
            .header("Location");
    assertThat(location).startsWith(issuer().issuer() + "/authorize?");
  }

  @Test
  void aKubernetesTokenReadsWhenRbacAllowsIt() {
    given().auth().oauth2("auditor-token").get("/v1/summary").then().statusCode(200);
    given().auth().oauth2("auditor-token").get("/v1/events?limit=1").then().statusCode(200);
    var asked = ReaderProfile.ASKED.get(ReaderProfile.ASKED.size() - 1).getSpec();
    assertThat(asked.getUser()).isEqualTo("system:serviceaccount:ci:auditor");
    assertThat(asked.getGroups()).containsExactly("system:serviceaccounts");
    assertThat(asked.getResourceAttributes().getResource()).isEqualTo("fimevents");
  }

  @Test
  void aValidTokenWithoutTheRbacGrantIs403WithTheReason() {
    given()
        .auth()
        .oauth2("bob-token")
        .get("/v1/events")
        .then()
        .statusCode(403)
        .body("error", containsString("bob may not get fimevents.kubefim.io"));
  }

  @Test
  void anInvalidTokenIs401WithTheApiServersReason() {
    given()
        .auth()
        .oauth2("nobody-knows-me")
        .get("/v1/events")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("Bearer"))
        .body("error", containsString("token rejected"));
  }

  @Test
  void anAgentsTokenWritesItsNodeButReadsNothing() {
    given()
        .auth()
        .oauth2(ReaderProfile.AGENT_TOKEN)
        .contentType("application/json")
        .body(TestEvents.array(List.of(TestEvents.file("node-a", "/etc/hosts"))))
        .post("/v1/events")
        .then()
        .statusCode(202);
    // The agent's token is for audience kubefim: the reader review (API server audience) fails.
    given().auth().oauth2(ReaderProfile.AGENT_TOKEN).get("/v1/events").then().statusCode(401);
    given()
        .auth()
        .oauth2(ReaderProfile.AGENT_TOKEN)
        .get("/machines/node-a/changes.csv")
        .then()
        .statusCode(401);
  }

  @Test
  void anApiServerThatCannotBeAskedIs503NotAnOpenDoor() {
    given()
        .auth()
        .oauth2("down-token")
        .get("/v1/events")
        .then()
        .statusCode(503)
        .header("Retry-After", "5");
    given()
        .auth()
        .oauth2("flaky-token")
        .get("/v1/events")
        .then()
        .statusCode(503)
        .body("error", containsString("SubjectAccessReview failed"));
  }

  @Test
  void anOidcBearerTokenIsVerifiedThenAskedAboutByItsClaims() throws Exception {
    FakeIssuer i = issuer();
    given()
        .auth()
        .oauth2(i.token("alice@example.com", List.of()))
        .get("/v1/summary")
        .then()
        .statusCode(200);
    var asked = ReaderProfile.ASKED.get(ReaderProfile.ASKED.size() - 1).getSpec();
    assertThat(asked.getUser()).isEqualTo("oidc:alice@example.com");
    given()
        .auth()
        .oauth2(i.token("carol@example.com", List.of("fim-readers")))
        .get("/v1/summary")
        .then()
        .statusCode(200);
    assertThat(ReaderProfile.ASKED.get(ReaderProfile.ASKED.size() - 1).getSpec().getGroups())
        .containsExactly("oidc:fim-readers");
    given()
        .auth()
        .oauth2(i.token("mallory@example.com", List.of("others")))
        .get("/v1/summary")
        .then()
        .statusCode(403);
    int asks = ReaderProfile.ASKED.size();
    given().auth().oauth2(i.forged("alice@example.com")).get("/v1/summary").then().statusCode(401);
    assertThat(ReaderProfile.ASKED).hasSize(asks); // a forged token is never reviewed
  }

  @Test
  void theBrowserLogsInWithTheCodeFlowAndOut() throws Exception {
    FakeIssuer i = issuer();
    i.loginAs("alice@example.com", List.of());
    Browser b = new Browser();
    HttpResponse<String> start = b.get(root.toURI());
    assertThat(start.statusCode()).isEqualTo(302);
    HttpResponse<String> atIssuer = b.get(URI.create(start.headers().firstValue("Location").get()));
    assertThat(atIssuer.statusCode()).isEqualTo(302);
    HttpResponse<String> callback =
        b.get(URI.create(atIssuer.headers().firstValue("Location").get()));
    assertThat(callback.statusCode()).isEqualTo(302);
    List<String> session =
        callback.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("q_session"))
            .toList();
    assertThat(session).isNotEmpty();
    assertThat(session.get(0))
        .contains("Secure")
        .containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("SameSite=Lax");
    HttpResponse<String> page =
        b.get(root.toURI().resolve(callback.headers().firstValue("Location").get()));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<h1>Machines</h1>");

    int before = i.logouts.get();
    HttpResponse<String> out = b.get(root.toURI().resolve("/logout"));
    assertThat(out.statusCode()).isEqualTo(302);
    assertThat(out.headers().firstValue("Location").get()).startsWith(i.issuer() + "/logout");
    b.get(URI.create(out.headers().firstValue("Location").get()));
    assertThat(i.logouts.get()).isEqualTo(before + 1);
    assertThat(b.get(root.toURI()).statusCode()).isEqualTo(302); // logged out: login again
  }

  @Test
  void aBrowserUserWithoutTheGrantSeesWhyNotTheEvents() throws Exception {
    issuer().loginAs("mallory@example.com", List.of("others"));
    Browser b = new Browser();
    URI next = root.toURI();
    HttpResponse<String> r = b.get(next);
    for (int hops = 0; hops < 5 && r.statusCode() == 302; hops++) {
      next = next.resolve(r.headers().firstValue("Location").get());
      r = b.get(next);
    }
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("oidc:mallory@example.com may not get fimevents.kubefim.io");
    assertThat(r.body()).doesNotContain("<h1>Machines</h1>");
  }

  @Test
  void theLocalLoginLinkMakesAStrictSessionCookieAndLogoutEndsIt() throws Exception {
    Browser b = new Browser();
    String link =
        "/login?token="
            + ReaderProfile.LOCAL_TOKEN
            + "&next="
            + URLEncoder.encode("/machines/node-a", StandardCharsets.UTF_8);
    HttpResponse<String> in = b.get(root.toURI().resolve(link));
    assertThat(in.statusCode()).isEqualTo(303);
    assertThat(in.headers().firstValue("Location").get()).endsWith("/machines/node-a");
    String cookie = in.headers().firstValue("Set-Cookie").get();
    assertThat(cookie)
        .startsWith("kubefim-session=")
        .contains("Secure")
        .containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("SameSite=Strict");
    HttpResponse<String> page = b.get(root.toURI());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<h1>Machines</h1>");
    assertThat(b.api(root.toURI().resolve("/v1/summary")).statusCode()).isEqualTo(200);
    assertThat(b.post(root.toURI().resolve("/logout")).statusCode()).isEqualTo(303);
    assertThat(b.api(root.toURI().resolve("/v1/summary")).statusCode()).isEqualTo(401);
  }

  @Test
  void theLocalTokenIsABearerTokenTooAndAWrongOneIsRefused() {
    given().auth().oauth2(ReaderProfile.LOCAL_TOKEN).get("/v1/summary").then().statusCode(200);
    given()
        .redirects()
        .follow(false)
        .get("/login?token=wrong")
        .then()
        .statusCode(401)
        .body(containsString("token rejected"));
  }

  @Test
  void theLoginLinkRedirectsOnlyInsideThisService() {
    for (String next : List.of("https://evil.example/", "//evil.example/x", "/\\evil.example")) {
      given()
          .redirects()
          .follow(false)
          .queryParam("token", ReaderProfile.LOCAL_TOKEN)
          .queryParam("next", next)
          .get("/login")
          .then()
          .statusCode(303)
          .header("Location", org.hamcrest.Matchers.endsWith("/"));
    }
  }

  /** Cookies by name, sent back whatever their Secure flag (the test talks plain http). */
  static final class Browser {
    private final HttpClient http =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();

    HttpResponse<String> get(URI uri) throws Exception {
      return send(HttpRequest.newBuilder(uri).GET().header("Accept", "text/html"));
    }

    HttpResponse<String> api(URI uri) throws Exception {
      return send(HttpRequest.newBuilder(uri).GET().header("Accept", "application/json"));
    }

    HttpResponse<String> post(URI uri) throws Exception {
      return send(
          HttpRequest.newBuilder(uri)
              .POST(HttpRequest.BodyPublishers.noBody())
              .header("Accept", "text/html"));
    }

    private HttpResponse<String> send(HttpRequest.Builder req) throws Exception {
      if (!cookies.isEmpty()) {
        req.header(
            "Cookie",
            String.join(
                "; ",
                cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
      }
      HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
      for (String c : r.headers().allValues("Set-Cookie")) {
        String nv = c.split(";", 2)[0];
        int eq = nv.indexOf('=');
        String name = nv.substring(0, eq);
        String value = nv.substring(eq + 1);
        boolean expired = value.isEmpty() || c.toLowerCase().contains("max-age=0");
        if (expired) {
          cookies.remove(name);
        } else {
          cookies.put(name, value);
        }
      }
      return r;
    }
  }
}
