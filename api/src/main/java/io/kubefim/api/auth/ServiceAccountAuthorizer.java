package io.kubefim.api.auth;

import java.time.Clock;
import java.time.Duration;

/**
 * Lets through the bearer tokens of exactly one ServiceAccount, checked with a TokenReview for
 * {@code audience}: config-service's gate for the operator's calls (the rollout route). The node
 * argument is ignored: the caller acts for no node.
 *
 * <p>Reviews are cached in a {@link ReviewCache} by the SHA-256 of the token (never the token):
 * successes for {@code ttl}, rejections for a tenth of it, each bounded (the operator has one token
 * at a time, so the bounds only matter against a flood of bogus ones). Thread-safe; calls the API
 * server on the caller's thread (blocking).
 */
public final class ServiceAccountAuthorizer implements AgentAuthorizer {
  private static final int MAX_ALLOWED = 16;
  private static final int MAX_DENIED = 1_000;

  private final TokenReviewer reviewer;
  private final String audience;
  private final String user;
  private final ReviewCache<AuthDecision> cache;

  /**
   * @param serviceAccount {@code namespace:name} of the one ServiceAccount let through
   */
  public ServiceAccountAuthorizer(
      TokenReviewer reviewer, String audience, String serviceAccount, Duration ttl, Clock clock) {
    this.reviewer = reviewer;
    this.audience = audience;
    this.user = ServiceAccountName.parse(serviceAccount, "service account").user();
    this.cache =
        new ReviewCache<>(
            ttl, ttl.dividedBy(10), MAX_ALLOWED, MAX_DENIED, clock, AuthDecision::allowed);
  }

  @Override
  public AuthDecision authorize(String authorization, String node) {
    String token = AgentAuthenticator.bearer(authorization);
    if (token == null) {
      return AuthDecision.deny(401, "a bearer token is required");
    }
    try {
      return cache.get(AgentAuthenticator.sha256(token), () -> review(token));
    } catch (TokenReviewer.ReviewUnavailableException e) {
      return AuthDecision.deny(503, e.getMessage()); // not cached: retry soon
    }
  }

  private AuthDecision review(String token) {
    TokenReviewer.Review r = reviewer.review(token, audience);
    if (!r.authenticated()) {
      String why = r.error() == null || r.error().isBlank() ? "invalid token" : r.error();
      return AuthDecision.deny(401, "token rejected for audience " + audience + ": " + why);
    }
    if (!user.equals(r.username())) {
      return AuthDecision.deny(403, r.username() + " may not call this route (only " + user + ")");
    }
    return AuthDecision.allow(null);
  }
}
