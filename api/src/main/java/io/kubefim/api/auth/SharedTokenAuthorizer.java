package io.kubefim.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Local mode ({@code ./kubefim up}): one random token made at start and shared by the three
 * processes; it may act for any node. Compared in constant time.
 */
public final class SharedTokenAuthorizer implements AgentAuthorizer {
  private final byte[] token;

  public SharedTokenAuthorizer(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the shared token must not be empty");
    }
    this.token = token.trim().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public AuthDecision authorize(String authorization, String node) {
    String t = AgentAuthenticator.bearer(authorization);
    if (t == null) {
      return AuthDecision.deny(401, "a bearer token is required");
    }
    if (!MessageDigest.isEqual(token, t.getBytes(StandardCharsets.UTF_8))) {
      return AuthDecision.deny(401, "token rejected: not the shared local token");
    }
    return AuthDecision.allow(node);
  }
}
