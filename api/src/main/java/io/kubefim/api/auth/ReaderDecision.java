package io.kubefim.api.auth;

/**
 * What {@link ReaderAuthorizer} decided about a reader's login or a reader's access.
 *
 * @param status 200 allowed; 401 the token is not valid; 403 a valid login that may not read; 503
 *     the API server could not be asked (retry)
 * @param reason in words, safe to log and to send back: never a token
 * @param reader who it is, when the login was valid
 */
public record ReaderDecision(int status, String reason, Reader reader) {
  public static ReaderDecision allow(Reader reader) {
    return new ReaderDecision(200, "ok", reader);
  }

  public static ReaderDecision deny(int status, String reason, Reader reader) {
    return new ReaderDecision(status, reason, reader);
  }

  public boolean allowed() {
    return status == 200;
  }
}
