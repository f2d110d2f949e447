package io.kubefim.api.auth;

import java.util.List;
import java.util.Map;

/**
 * Someone who reads events (the web page, {@code GET /v1/events}, {@code /v1/summary}, CSV), as a
 * login found them: the user and groups a SubjectAccessReview is asked about.
 *
 * @param name the user name, as the API server knows it (a ServiceAccount is {@code
 *     system:serviceaccount:NS:NAME}; an OIDC user is the configured claim, with its prefix)
 * @param groups the user's groups (OIDC: the groups claim, with its prefix)
 * @param extra user extra from a TokenReview, passed on to the SubjectAccessReview unchanged
 * @param uid the user's uid from a TokenReview, may be null
 * @param login how the reader logged in
 */
public record Reader(
    String name, List<String> groups, Map<String, List<String>> extra, String uid, Login login) {

  /** How a reader logged in. */
  public enum Login {
    /** A Kubernetes bearer token, checked with a TokenReview. */
    KUBERNETES,
    /** OpenID Connect: the browser's code flow, or a bearer access token of the issuer. */
    OIDC,
    /** The local token of {@code ./kubefim up} (bearer or its session cookie). */
    LOCAL
  }

  public Reader {
    groups = groups == null ? List.of() : List.copyOf(groups);
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }
}
