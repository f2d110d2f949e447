package io.kubefim.api.auth;

import java.util.List;
import java.util.Map;

/** Asks the Kubernetes API server who a bearer token belongs to (a TokenReview). */
public interface TokenReviewer {
  /**
   * Reviews {@code token} for {@code audience}; a null audience asks for the API server's own
   * audiences (a reader's {@code kubectl create token}).
   *
   * @throws ReviewUnavailableException when the API server cannot be asked (retryable: the caller
   *     answers 503, never 401, so a flaky API server does not lock agents out for good)
   */
  Review review(String token, String audience);

  /**
   * The API server's answer.
   *
   * @param authenticated the token is valid for the audience
   * @param username e.g. {@code system:serviceaccount:kubefim:kubefim-agent}
   * @param extra user extra, e.g. {@code authentication.kubernetes.io/node-name}
   * @param error the API server's reason when not authenticated
   * @param groups the user's groups (e.g. {@code system:serviceaccounts})
   * @param uid the user's uid, may be null
   */
  record Review(
      boolean authenticated,
      String username,
      Map<String, List<String>> extra,
      String error,
      List<String> groups,
      String uid) {
    public Review {
      extra = extra == null ? Map.of() : Map.copyOf(extra);
      groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** An answer without groups or uid (agents need neither). */
    public Review(
        boolean authenticated, String username, Map<String, List<String>> extra, String error) {
      this(authenticated, username, extra, error, List.of(), null);
    }
  }

  /** The review could not be made; retry later. */
  final class ReviewUnavailableException extends RuntimeException {
    public ReviewUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
