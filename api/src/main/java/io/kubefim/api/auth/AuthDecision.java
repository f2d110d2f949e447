package io.kubefim.api.auth;

/**
 * What {@link AgentAuthenticator} decided about one request.
 *
 * @param status 200 allowed; 401 no valid token; 403 a valid token that may not do this; 503 the
 *     API server could not be asked (retry)
 * @param reason in words, safe to log and to send back: never the token
 * @param node the node the token belongs to, when known
 */
public record AuthDecision(int status, String reason, String node) {
  public static AuthDecision allow(String node) {
    return new AuthDecision(200, "ok", node);
  }

  public static AuthDecision deny(int status, String reason) {
    return new AuthDecision(status, reason, null);
  }

  public boolean allowed() {
    return status == 200;
  }
}
