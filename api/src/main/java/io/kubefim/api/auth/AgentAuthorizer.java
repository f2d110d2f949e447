package io.kubefim.api.auth;

/**
 * Decides whether a request may act for a node. Implementations: {@link AgentAuthenticator}
 * (TokenReview, in a cluster), {@link SharedTokenAuthorizer} (local mode), {@link #OPEN} (auth off,
 * for tests and trusted networks only).
 */
@FunctionalInterface
public interface AgentAuthorizer {
  /** Lets everything through. */
  AgentAuthorizer OPEN = (authorization, node) -> AuthDecision.allow(node);

  /**
   * @param authorization the request's {@code Authorization} header, may be null
   * @param node the node the request acts for
   */
  AuthDecision authorize(String authorization, String node);
}
