package io.kubefim.ingest.auth;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.utils.ResponseProvider;
import io.kubefim.api.json.Json;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every reader login on at once, as a cluster with Entra ID would run it: {@code rbac} mode, OIDC
 * against a {@link FakeIssuer}, Kubernetes tokens and a local token, agent tokens checked by
 * TokenReview. The reader ITs share this profile (one application start). {@link #install} makes
 * Fabric8's mock API server answer TokenReviews and SubjectAccessReviews like a real one for the
 * tokens and users of {@link #TOKENS} and {@link #readers}.
 */
public class ReaderProfile implements QuarkusTestProfile {
  static final String LOCAL_TOKEN = "local-reader-token-0123456789";

  /** Kubernetes token → user, groups; its audiences are the API server's (empty) unless agent. */
  static final Map<String, List<String>> TOKENS =
      Map.of(
          "auditor-token", List.of("system:serviceaccount:ci:auditor", "system:serviceaccounts"),
          "bob-token", List.of("bob", "developers"),
          "flaky-token", List.of("flaky", ""));

  static final String AGENT_TOKEN = "agent-a";
  static final String AGENT = "system:serviceaccount:kubefim:kubefim-agent";

  /** Who RBAC lets read: these users, and members of group fim-readers. */
  static final List<String> READERS =
      List.of("system:serviceaccount:ci:auditor", "oidc:alice@example.com", AGENT);

  /** Every SubjectAccessReview the mock API server was asked, newest last. */
  static final List<SubjectAccessReview> ASKED = new CopyOnWriteArrayList<>();

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.ofEntries(
        Map.entry("kubefim.auth.mode", "tokenreview"),
        Map.entry("kubefim.auth.agent-service-account", "kubefim:kubefim-agent"),
        Map.entry("kubefim.readers.mode", "rbac"),
        // A failing API server is answered at once (503), not after the client's retries.
        Map.entry("quarkus.kubernetes-client.request-retry-backoff-limit", "0"),
        Map.entry("kubefim.readers.token-file", localTokenFile().toString()),
        Map.entry("kubefim.readers.oidc.username-claim", "preferred_username"),
        Map.entry("kubefim.readers.oidc.username-prefix", "oidc:"),
        Map.entry("kubefim.readers.oidc.groups-prefix", "oidc:"),
        Map.entry("quarkus.oidc.tenant-enabled", "true"),
        Map.entry("quarkus.oidc.client-id", FakeIssuer.CLIENT_ID),
        Map.entry("quarkus.oidc.credentials.secret", FakeIssuer.CLIENT_SECRET));
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(IssuerResource.class));
  }

  static Path localTokenFile() {
    try {
      Path p = Path.of("target", "reader-token");
      Files.createDirectories(p.getParent());
      Files.writeString(p, LOCAL_TOKEN + "\n");
      return p.toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the fake issuer and hands its URL to quarkus-oidc. */
  public static class IssuerResource implements QuarkusTestResourceLifecycleManager {
    static volatile FakeIssuer issuer;

    @Override
    public Map<String, String> start() {
      try {
        issuer = new FakeIssuer();
      } catch (Exception e) {
        throw new IllegalStateException("fake issuer did not start", e);
      }
      return Map.of("quarkus.oidc.auth-server-url", issuer.issuer());
    }

    @Override
    public void stop() {
      if (issuer != null) {
        issuer.close();
      }
    }
  }

  /** Answers TokenReviews and SubjectAccessReviews on {@code server}. */
  static void install(KubernetesServer server) {
    server
        .expect()
        .post()
        .withPath("/apis/authentication.k8s.io/v1/tokenreviews")
        .andReply(new Reply(ReaderProfile::tokenReview))
        .always();
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews")
        .andReply(new Reply(ReaderProfile::accessReview))
        .always();
  }

  private static Object tokenReview(String body) {
    TokenReview in = read(body, TokenReview.class);
    String token = in.getSpec().getToken();
    List<String> audiences = in.getSpec().getAudiences();
    if (token.equals("down-token")) {
      return null; // the API server fails: 500
    }
    if (token.equals(AGENT_TOKEN) && audiences.equals(List.of("kubefim"))) {
      return authenticated(AGENT, List.of("system:serviceaccounts"), "node-a");
    }
    List<String> who = TOKENS.get(token);
    if (who == null || !audiences.isEmpty()) {
      return new TokenReviewBuilder()
          .withNewStatus()
          .withAuthenticated(false)
          .withError("[invalid bearer token, token audiences is invalid for the target audiences]")
          .endStatus()
          .build();
    }
    return authenticated(who.get(0), who.get(1).isEmpty() ? List.of() : List.of(who.get(1)), null);
  }

  private static TokenReview authenticated(String user, List<String> groups, String node) {
    return new TokenReviewBuilder()
        .withNewStatus()
        .withAuthenticated(true)
        .withNewUser()
        .withUsername(user)
        .withGroups(groups)
        .withUid("uid-" + user)
        .withExtra(
            node == null
                ? Map.of()
                : Map.of("authentication.kubernetes.io/node-name", List.of(node)))
        .endUser()
        .endStatus()
        .build();
  }

  private static Object accessReview(String body) {
    SubjectAccessReview in = read(body, SubjectAccessReview.class);
    ASKED.add(in);
    String user = in.getSpec().getUser();
    if ("flaky".equals(user)) {
      return null; // the API server fails: 500
    }
    var ra = in.getSpec().getResourceAttributes();
    boolean onEvents =
        ra != null
            && "get".equals(ra.getVerb())
            && "kubefim.io".equals(ra.getGroup())
            && "fimevents".equals(ra.getResource());
    boolean granted =
        onEvents
            && (READERS.contains(user) || in.getSpec().getGroups().contains("oidc:fim-readers"));
    return new SubjectAccessReviewBuilder(in)
        .withNewStatus()
        .withAllowed(granted)
        .withReason(granted ? "RBAC: allowed by ClusterRoleBinding kubefim-readers" : "")
        .endStatus()
        .build();
  }

  private static <T> T read(String body, Class<T> type) {
    try {
      return Json.mapper().readValue(body, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** 201 with the answer, or 500 when the answer is null (an API server that fails). */
  private static final class Reply implements ResponseProvider<Object> {
    private final java.util.function.Function<String, Object> answer;
    private Headers headers = new Headers.Builder().build();

    Reply(java.util.function.Function<String, Object> answer) {
      this.answer = answer;
    }

    /** Each request is answered once, whichever of body and status the server asks first. */
    private final Map<RecordedRequest, Object> answers =
        java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private Object answer(RecordedRequest r) {
      return answers.computeIfAbsent(
          r, k -> java.util.Optional.ofNullable(answer.apply(k.getUtf8Body())));
    }

    @Override
    public Object getBody(RecordedRequest r) {
      return ((java.util.Optional<?>) answer(r))
          .map(a -> (Object) a)
          .orElse("{\"kind\":\"Status\",\"code\":500,\"message\":\"etcd down\"}");
    }

    @Override
    public int getStatusCode(RecordedRequest r) {
      return ((java.util.Optional<?>) answer(r)).isPresent() ? 201 : 500;
    }

    @Override
    public Headers getHeaders() {
      return headers;
    }

    @Override
    public void setHeaders(Headers h) {
      this.headers = h;
    }
  }
}
