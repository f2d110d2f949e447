package io.kubefim.api.auth;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/**
 * {@link TokenReviewer}, {@link PodLocator} and {@link AccessReviewer} over a Fabric8 client:
 * {@code POST /apis/authentication.k8s.io/v1/tokenreviews}, {@code GET pods} and {@code POST
 * /apis/authorization.k8s.io/v1/subjectaccessreviews}. Needs RBAC {@code create tokenreviews},
 * {@code get pods} and (readers) {@code create subjectaccessreviews}. Thread-safe.
 */
public final class KubernetesTokenReviewer implements TokenReviewer, PodLocator, AccessReviewer {
  private final KubernetesClient client;

  public KubernetesTokenReviewer(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Review review(String token, String audience) {
    TokenReview request = new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build();
    if (audience != null) {
      request.getSpec().getAudiences().add(audience);
    }
    try {
      TokenReview answer = client.resource(request).create();
      TokenReviewStatus s = answer == null ? null : answer.getStatus();
      if (s == null) {
        throw new ReviewUnavailableException("TokenReview answered without a status", null);
      }
      boolean ok = Boolean.TRUE.equals(s.getAuthenticated());
      String user = s.getUser() == null ? null : s.getUser().getUsername();
      return new Review(
          ok,
          user,
          s.getUser() == null ? null : s.getUser().getExtra(),
          s.getError(),
          s.getUser() == null ? null : s.getUser().getGroups(),
          s.getUser() == null ? null : s.getUser().getUid());
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

  @Override
  public Access review(Reader reader, String verb, String group, String resource) {
    SubjectAccessReview request =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser(reader.name())
            .withGroups(reader.groups())
            .withExtra(reader.extra())
            .withUid(reader.uid())
            .withNewResourceAttributes()
            .withVerb(verb)
            .withGroup(group)
            .withResource(resource)
            .endResourceAttributes()
            .endSpec()
            .build();
    try {
      SubjectAccessReview answer = client.resource(request).create();
      SubjectAccessReviewStatus s = answer == null ? null : answer.getStatus();
      if (s == null) {
        throw new ReviewUnavailableException("SubjectAccessReview answered without a status", null);
      }
      String reason = s.getReason() == null ? "" : s.getReason();
      if (s.getEvaluationError() != null && !s.getEvaluationError().isBlank()) {
        reason = reason.isEmpty() ? s.getEvaluationError() : reason + "; " + s.getEvaluationError();
      }
      return new Access(Boolean.TRUE.equals(s.getAllowed()), reason);
    } catch (KubernetesClientException e) {
      throw new ReviewUnavailableException("SubjectAccessReview failed: HTTP " + e.getCode(), null);
    }
  }
}
