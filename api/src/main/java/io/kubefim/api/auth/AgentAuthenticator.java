package io.kubefim.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a request from a node agent may act for a node (SPEC §7): the bearer token must
 * be a projected ServiceAccount token for {@code audience}, of the agent's ServiceAccount, and of a
 * pod on that same node. The node comes from the token itself (bound tokens carry {@code
 * authentication.kubernetes.io/node-name}) or, for older clusters, from the pod the token names.
 *
 * <p>Reviews are cached briefly by the SHA-256 of the token (the token itself is never stored or
 * logged): successes for {@code ttl}, rejections for a tenth of it. Thread-safe; calls the API
 * server on the caller's thread (blocking).
 */
public final class AgentAuthenticator implements AgentAuthorizer {
  static final String NODE_NAME = "authentication.kubernetes.io/node-name";
  static final String POD_NAME = "authentication.kubernetes.io/pod-name";
  private static final int MAX_CACHED = 10_000;

  private final TokenReviewer reviewer;
  private final PodLocator pods;
  private final String audience;
  private final String agentUser;
  private final String agentNamespace;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

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
    String[] sa = agentServiceAccount.split(":", 2);
    if (sa.length != 2 || sa[0].isBlank() || sa[1].isBlank()) {
      throw new IllegalArgumentException(
          "agent service account must be namespace:name, got '" + agentServiceAccount + "'");
    }
    this.reviewer = reviewer;
    this.pods = pods;
    this.audience = audience;
    this.agentNamespace = sa[0];
    this.agentUser = "system:serviceaccount:" + sa[0] + ":" + sa[1];
    this.ttl = ttl;
    this.clock = clock;
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
    String key = sha256(token);
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
      cache.entrySet().removeIf(en -> !now.isBefore(en.getValue().expires));
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
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

  static String bearer(String authorization) {
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

  static String sha256(String token) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Cached(AuthDecision decision, Instant expires) {}
}
