package io.kubefim.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a request from a node agent may act for a node (SPEC §7): the bearer token must
 * be a projected ServiceAccount token for {@code audience}, of the agent's ServiceAccount, and of a
 * pod on that same node. The node comes from the token itself (bound tokens carry {@code
 * authentication.kubernetes.io/node-name}) or, for older clusters, from the pod the token names.
 *
 * <p>Reviews are cached briefly by the SHA-256 of the token (the token itself is never stored or
 * logged), see {@link ReviewCache}: successes for {@code ttl}, rejections for a tenth of it (the
 * negative cache, bounded apart from the successes), and concurrent requests with one token share
 * one review. So a flood of bogus tokens costs one TokenReview per distinct token per tenth of
 * {@code ttl}, in bounded memory, and never evicts a real agent's cached review. Thread-safe; calls
 * the API server on the caller's thread (blocking).
 */
public final class AgentAuthenticator implements AgentAuthorizer {
  static final String NODE_NAME = "authentication.kubernetes.io/node-name";
  static final String POD_NAME = "authentication.kubernetes.io/pod-name";

  /** Cached successes: one per agent pod, so room for a large cluster. */
  static final int MAX_ALLOWED = 10_000;

  /** Cached rejections: bounded apart, a flood only recycles these. */
  static final int MAX_DENIED = 4_096;

  private final TokenReviewer reviewer;
  private final PodLocator pods;
  private final String audience;
  private final String agentUser;
  private final String agentNamespace;
  private final ReviewCache<AuthDecision> cache;

  /**
   * @param agentServiceAccount {@code namespace:name} of the agents' ServiceAccount
   */
  public AgentAuthenticator(
      TokenReviewer reviewer,
      PodLocator pods,
      String audience,
      String agentServiceAccount,
      Duration ttl,
      Clock clock) {
    ServiceAccountName sa = ServiceAccountName.parse(agentServiceAccount, "agent service account");
    this.reviewer = reviewer;
    this.pods = pods;
    this.audience = audience;
    this.agentNamespace = sa.namespace();
    this.agentUser = sa.user();
    this.cache =
        new ReviewCache<>(
            ttl, ttl.dividedBy(10), MAX_ALLOWED, MAX_DENIED, clock, AuthDecision::allowed);
  }

  /**
   * @param authorization the request's {@code Authorization} header, may be null
   * @param node the node the request acts for (path parameter or events' Computer)
   */
  @Override
  public AuthDecision authorize(String authorization, String node) {
    String token = bearer(authorization);
    if (token == null) {
      return AuthDecision.deny(401, "a bearer token is required");
    }
    AuthDecision who = identify(token);
    if (!who.allowed()) {
      return who;
    }
    if (node != null && !node.equals(who.node())) {
      return AuthDecision.deny(
          403, "the token of node " + who.node() + " may not act for node " + node);
    }
    return who;
  }

  /** Who the token is, as a decision carrying its node; cached. */
  AuthDecision identify(String token) {
    try {
      return cache.get(sha256(token), () -> review(token));
    } catch (TokenReviewer.ReviewUnavailableException e) {
      return AuthDecision.deny(503, e.getMessage()); // not cached: retry soon
    }
  }

  /** The cache, for tests of its bounds. */
  ReviewCache<AuthDecision> cache() {
    return cache;
  }

  private AuthDecision review(String token) {
    TokenReviewer.Review r = reviewer.review(token, audience);
    if (!r.authenticated()) {
      String why = r.error() == null || r.error().isBlank() ? "invalid token" : r.error();
      return AuthDecision.deny(401, "token rejected for audience " + audience + ": " + why);
    }
    if (!agentUser.equals(r.username())) {
      return AuthDecision.deny(
          403, r.username() + " is not the agents' ServiceAccount (" + agentUser + ")");
    }
    Optional<String> node = first(r.extra(), NODE_NAME);
    if (node.isEmpty()) {
      Optional<String> pod = first(r.extra(), POD_NAME);
      if (pod.isEmpty()) {
        return AuthDecision.deny(403, "the token names neither a node nor a pod");
      }
      node = pods.nodeOf(agentNamespace, pod.get());
      if (node.isEmpty()) {
        return AuthDecision.deny(403, "the token's pod " + pod.get() + " runs on no node");
      }
    }
    return AuthDecision.allow(node.get());
  }

  private static Optional<String> first(Map<String, List<String>> extra, String key) {
    List<String> v = extra.get(key);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** The token of an {@code Authorization: Bearer} header; null when there is none. */
  public static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    String h = authorization.trim();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String t = h.substring(7).trim();
    return t.isEmpty() ? null : t;
  }

  /** The lowercase hex SHA-256 of {@code text}'s UTF-8: cache keys that are never the secret. */
  public static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
