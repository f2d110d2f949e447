package io.kubefim.api.auth;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/**
 * {@link TokenReviewer} and {@link PodLocator} over a Fabric8 client: {@code POST
 * /apis/authentication.k8s.io/v1/tokenreviews} and {@code GET pods}. Needs RBAC {@code create
 * tokenreviews} and {@code get pods}. Thread-safe.
 */
public final class KubernetesTokenReviewer implements TokenReviewer, PodLocator {
  private final KubernetesClient client;

  public KubernetesTokenReviewer(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Review review(String token, String audience) {
    TokenReview request =
        new TokenReviewBuilder()
            .withNewSpec()
            .withToken(token)
            .addToAudiences(audience)
            .endSpec()
            .build();
    try {
      TokenReview answer = client.resource(request).create();
      TokenReviewStatus s = answer == null ? null : answer.getStatus();
      if (s == null) {
        throw new ReviewUnavailableException("TokenReview answered without a status", null);
      }
      boolean ok = Boolean.TRUE.equals(s.getAuthenticated());
      String user = s.getUser() == null ? null : s.getUser().getUsername();
      return new Review(
          ok, user, s.getUser() == null ? null : s.getUser().getExtra(), s.getError());
    } catch (KubernetesClientException e) {
      // Never include the request: it holds the token.
      throw new ReviewUnavailableException("TokenReview failed: HTTP " + e.getCode(), null);
    }
  }

  @Override
  public Optional<String> nodeOf(String namespace, String podName) {
    try {
      Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
      return Optional.ofNullable(pod == null ? null : pod.getSpec().getNodeName());
    } catch (KubernetesClientException e) {
      throw new ReviewUnavailableException("pod lookup failed: HTTP " + e.getCode(), null);
    }
  }
}
