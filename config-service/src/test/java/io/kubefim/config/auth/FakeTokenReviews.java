package io.kubefim.config.auth;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.kubefim.api.json.Json;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.util.List;
import java.util.Map;

/**
 * The TokenReview endpoint of Fabric8's mock API server, answering like a real API server for a few
 * known tokens. One table for every IT that shares the mock server (an {@code always()} expectation
 * registered first keeps answering), so that no IT depends on which ran first.
 */
public final class FakeTokenReviews {
  private FakeTokenReviews() {}

  public static final String AGENT = "system:serviceaccount:kubefim:kubefim-agent";
  public static final String OPERATOR = "system:serviceaccount:kubefim:kubefim-operator";

  /**
   * TokenReview authentication with the ServiceAccounts these tokens name. ITs that use the same
   * profile share one application start.
   */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "kubefim.auth.mode", "tokenreview",
          "kubefim.auth.agent-service-account", "kubefim:kubefim-agent",
          "kubefim.config.operator-service-account", "kubefim:kubefim-operator");
    }
  }

  /** token → (username, node claim, pod claim); any other token is "invalid audience". */
  public static final Map<String, List<String>> TOKENS =
      Map.of(
          "good-a", List.of(AGENT, "node-a", ""),
          "good-b", List.of(AGENT, "node-b", ""),
          "legacy-b", List.of(AGENT, "", "agent-b"),
          "builder", List.of("system:serviceaccount:ci:builder", "node-a", ""),
          "operator", List.of(OPERATOR, "", "kubefim-operator-0"));

  /** Answers every TokenReview on {@code server} from {@link #TOKENS}. */
  public static void install(KubernetesServer server) {
    server
        .expect()
        .post()
        .withPath("/apis/authentication.k8s.io/v1/tokenreviews")
        .andReply(201, req -> review(req.getBody().readUtf8()))
        .always();
  }

  static TokenReview review(String body) {
    try {
      TokenReview in = Json.mapper().readValue(body, TokenReview.class);
      String token = in.getSpec().getToken();
      List<String> who = TOKENS.get(token);
      boolean audienceOk = in.getSpec().getAudiences().equals(List.of("kubefim"));
      if (who == null || !audienceOk) {
        return new TokenReviewBuilder()
            .withNewStatus()
            .withAuthenticated(false)
            .withError("[invalid bearer token, token audiences [\"kubefim\"] is invalid]")
            .endStatus()
            .build();
      }
      Map<String, List<String>> extra =
          !who.get(1).isEmpty()
              ? Map.of("authentication.kubernetes.io/node-name", List.of(who.get(1)))
              : Map.of("authentication.kubernetes.io/pod-name", List.of(who.get(2)));
      return new TokenReviewBuilder()
          .withNewStatus()
          .withAuthenticated(true)
          .withNewUser()
          .withUsername(who.get(0))
          .withExtra(extra)
          .endUser()
          .endStatus()
          .build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
