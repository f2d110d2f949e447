package io.kubefim.api.auth;

/**
 * Asks the Kubernetes API server whether a user may do something (a SubjectAccessReview), so that
 * cluster RBAC decides who reads events, as kube-rbac-proxy does.
 */
public interface AccessReviewer {
  /**
   * May {@code reader} do {@code verb} on the cluster-wide {@code resource} of API group {@code
   * group}? The resource need not exist: RBAC rules name it all the same.
   *
   * @throws TokenReviewer.ReviewUnavailableException when the API server cannot be asked
   *     (retryable: the caller answers 503)
   */
  Access review(Reader reader, String verb, String group, String resource);

  /**
   * The API server's answer.
   *
   * @param allowed RBAC (or another authorizer) allows it
   * @param reason the API server's reason, may be empty
   */
  record Access(boolean allowed, String reason) {}
}
