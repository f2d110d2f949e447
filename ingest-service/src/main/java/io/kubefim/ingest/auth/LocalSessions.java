package io.kubefim.ingest.auth;

import io.kubefim.api.auth.AgentAuthenticator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Browser sessions made from the local reader token ({@code /login?token=...}, as Jupyter does): a
 * random 256-bit id in a cookie, kept here only as its SHA-256 with an expiry, so a heap dump holds
 * no usable cookie. In memory: a restart logs everyone out (local mode makes a new token per start
 * anyway). Bounded: past {@code max} live sessions the oldest is dropped. Thread-safe.
 */
final class LocalSessions {
  private final Duration ttl;
  private final int max;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Instant> expiries = new LinkedHashMap<>();

  LocalSessions(Duration ttl, int max, Clock clock) {
    this.ttl = ttl;
    this.max = max;
    this.clock = clock;
  }

  /** A new session; the returned id goes into the cookie and nowhere else. */
  synchronized String open() {
    byte[] id = new byte[32];
    random.nextBytes(id);
    String cookie = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    Instant now = clock.instant();
    expiries.values().removeIf(e -> !now.isBefore(e));
    expiries.put(hash(cookie), now.plus(ttl));
    Iterator<String> oldest = expiries.keySet().iterator();
    while (expiries.size() > max) {
      oldest.next();
      oldest.remove();
    }
    return cookie;
  }

  /** Whether {@code cookie} names a live session. */
  synchronized boolean valid(String cookie) {
    if (cookie == null || cookie.isEmpty() || cookie.length() > 100) {
      return false;
    }
    String key = hash(cookie);
    Instant expires = expiries.get(key);
    if (expires == null) {
      return false;
    }
    if (!clock.instant().isBefore(expires)) {
      expiries.remove(key);
      return false;
    }
    return true;
  }

  /** Ends the session, if any. */
  synchronized void close(String cookie) {
    if (cookie != null) {
      expiries.remove(hash(cookie));
    }
  }

  Duration ttl() {
    return ttl;
  }

  private static String hash(String cookie) {
    return AgentAuthenticator.sha256(cookie);
  }
}
