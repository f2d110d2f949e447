package io.kubefim.api.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may read events (SPEC §7), the part that asks the API server: a Kubernetes bearer token is
 * checked with a TokenReview ({@link #login}), and a reader, however it logged in, is allowed only
 * when a SubjectAccessReview for {@code get} on {@code fimevents.kubefim.io} says so ({@link
 * #authorize}), so that cluster RBAC decides, as kube-rbac-proxy does (or, without {@code rbac},
 * any login may read). The agents' ServiceAccount is refused before any review: an agent's token
 * writes its own node's events and reads nothing, whatever RBAC says.
 *
 * <p>Both answers are cached briefly in {@link ReviewCache}s, by the SHA-256 of the token (never
 * the token) or of the reader's name and groups: successes for {@code ttl}, refusals for a tenth of
 * it, each map bounded. An answer the API server could not give is not cached (503, retry).
 * Thread-safe; calls the API server on the caller's thread (blocking).
 */
public final class ReaderAuthorizer {
  /** The virtual resource RBAC grants reading on: {@code get} on {@code fimevents.kubefim.io}. */
  public static final String GROUP = "kubefim.io";

  public static final String RESOURCE = "fimevents";
  public static final String VERB = "get";

  private static final int MAX_ALLOWED = 4_096;
  private static final int MAX_DENIED = 4_096;

  private final TokenReviewer tokens;
  private final AccessReviewer access;
  private final String audience;
  private final Set<String> refused;
  private final boolean rbac;
  private final ReviewCache<ReaderDecision> logins;
  private final ReviewCache<ReaderDecision> grants;

  /**
   * @param audience the audience readers' tokens must carry; null: the API server's own
   * @param agentServiceAccounts {@code namespace:name} of ServiceAccounts that never read (the
   *     agents')
   * @param rbac ask a SubjectAccessReview; false: every login but the agents' may read
   */
  public ReaderAuthorizer(
      TokenReviewer tokens,
      AccessReviewer access,
      String audience,
      List<String> agentServiceAccounts,
      boolean rbac,
      Duration ttl,
      Clock clock) {
    this.rbac = rbac;
    this.tokens = tokens;
    this.access = access;
    this.audience = audience;
    this.refused = new TreeSet<>();
    for (String sa : agentServiceAccounts) {
      refused.add(ServiceAccountName.parse(sa, "service account").user());
    }
    this.logins =
        new ReviewCache<>(
            ttl, ttl.dividedBy(10), MAX_ALLOWED, MAX_DENIED, clock, ReaderDecision::allowed);
    this.grants =
        new ReviewCache<>(
            ttl, ttl.dividedBy(10), MAX_ALLOWED, MAX_DENIED, clock, ReaderDecision::allowed);
  }

  /** Who a Kubernetes bearer token belongs to (a TokenReview); 401 when it is not valid. */
  public ReaderDecision login(String token) {
    try {
      return logins.get(AgentAuthenticator.sha256(token), () -> reviewToken(token));
    } catch (TokenReviewer.ReviewUnavailableException e) {
      return ReaderDecision.deny(503, e.getMessage(), null);
    }
  }

  /** May {@code reader} read events: 403 with the reason when RBAC does not allow it. */
  public ReaderDecision authorize(Reader reader) {
    if (refused.contains(reader.name())) {
      return ReaderDecision.deny(
          403,
          reader.name() + " is an agent's ServiceAccount: agents write events, never read them",
          reader);
    }
    if (!rbac || reader.login() == Reader.Login.LOCAL) {
      return ReaderDecision.allow(reader); // the local token is the operator's own credential
    }
    String key =
        AgentAuthenticator.sha256(reader.name() + "\n" + String.join("\n", reader.groups()));
    try {
      return grants.get(key, () -> reviewAccess(reader));
    } catch (TokenReviewer.ReviewUnavailableException e) {
      return ReaderDecision.deny(503, e.getMessage(), reader);
    }
  }

  private ReaderDecision reviewToken(String token) {
    TokenReviewer.Review r = tokens.review(token, audience);
    if (!r.authenticated()) {
      String why = r.error() == null || r.error().isBlank() ? "invalid token" : r.error();
      return ReaderDecision.deny(401, "token rejected: " + why, null);
    }
    return ReaderDecision.allow(
        new Reader(r.username(), r.groups(), r.extra(), r.uid(), Reader.Login.KUBERNETES));
  }

  private ReaderDecision reviewAccess(Reader reader) {
    AccessReviewer.Access a = access.review(reader, VERB, GROUP, RESOURCE);
    if (a.allowed()) {
      return ReaderDecision.allow(reader);
    }
    String why = a.reason().isBlank() ? "" : " (" + a.reason() + ")";
    return ReaderDecision.deny(
        403, reader.name() + " may not " + VERB + " " + RESOURCE + "." + GROUP + why, reader);
  }
}
