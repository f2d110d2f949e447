package io.kubefim.api.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets through the bearer tokens of exactly one ServiceAccount, checked with a TokenReview for
 * {@code audience}: config-service's gate for the operator's calls (the rollout route). The node
 * argument is ignored: the caller acts for no node.
 *
 * <p>Reviews are cached by the SHA-256 of the token (never the token): successes for {@code ttl},
 * rejections for a tenth of it, at most {@value #MAX_CACHED} entries (the operator has one token at
 * a time, so the bound only matters against a flood of bogus ones). Thread-safe; calls the API
 * server on the caller's thread (blocking).
 */
public final class ServiceAccountAuthorizer implements AgentAuthorizer {
  private static final int MAX_CACHED = 1_000;

  private final TokenReviewer reviewer;
  private final String audience;
  private final String user;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  /**
   * @param serviceAccount {@code namespace:name} of the one ServiceAccount let through
   */
  public ServiceAccountAuthorizer(
      TokenReviewer reviewer, String audience, String serviceAccount, Duration ttl, Clock clock) {
    String[] sa = serviceAccount == null ? new String[0] : serviceAccount.split(":", 2);
    if (sa.length != 2 || sa[0].isBlank() || sa[1].isBlank()) {
      throw new IllegalArgumentException(
          "service account must be namespace:name, got '" + serviceAccount + "'");
    }
    this.reviewer = reviewer;
    this.audience = audience;
    this.user = "system:serviceaccount:" + sa[0] + ":" + sa[1];
    this.ttl = ttl;
    this.clock = clock;
  }

  @Override
  public AuthDecision authorize(String authorization, String node) {
    String token = AgentAuthenticator.bearer(authorization);
    if (token == null) {
      return AuthDecision.deny(401, "a bearer token is required");
    }
    String key = AgentAuthenticator.sha256(token);
    Instant now = clock.instant();
    Cached c = cache.get(key);
    if (c != null && now.isBefore(c.expires)) {
      return c.decision;
    }
    AuthDecision d;
    try {
      d = review(token);
    } catch (TokenReviewer.ReviewUnavailableException e) {
      return AuthDecision.deny(503, e.getMessage()); // not cached: retry soon
    }
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    cache.put(key, new Cached(d, now.plus(d.allowed() ? ttl : ttl.dividedBy(10))));
    return d;
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

  private record Cached(AuthDecision decision, Instant expires) {}
}
