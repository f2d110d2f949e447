package io.kubefim.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServiceAccountAuthorizerTest {
  static final String OPERATOR = "system:serviceaccount:kubefim:kubefim-operator";

  final AtomicInteger calls = new AtomicInteger();
  volatile boolean down;
  final Map<String, String> users =
      Map.of("op", OPERATOR, "agent", "system:serviceaccount:kubefim:kubefim-agent");
  final TokenReviewer api =
      (token, audience) -> {
        calls.incrementAndGet();
        if (down) {
          throw new TokenReviewer.ReviewUnavailableException("TokenReview failed: HTTP 503", null);
        }
        String user = "kubefim".equals(audience) ? users.get(token) : null;
        return user == null
            ? new TokenReviewer.Review(false, null, null, "token audiences are invalid")
            : new TokenReviewer.Review(true, user, null, null);
      };
  Instant now = Instant.parse("2026-12-02T00:00:00Z");
  final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };
  final ServiceAccountAuthorizer auth =
      new ServiceAccountAuthorizer(
          api, "kubefim", "kubefim:kubefim-operator", Duration.ofSeconds(60), clock);

  @Test
  void onlyTheNamedServiceAccountPasses() {
    assertThat(auth.authorize("Bearer op", null).status()).isEqualTo(200);
    assertThat(auth.authorize(null, null).status()).isEqualTo(401);
    assertThat(auth.authorize("Basic op", null).status()).isEqualTo(401);
    assertThat(auth.authorize("Bearer bogus", null).reason()).contains("token audiences");
    AuthDecision agent = auth.authorize("Bearer agent", null);
    assertThat(agent.status()).isEqualTo(403);
    assertThat(agent.reason()).contains("only " + OPERATOR);
  }

  @Test
  void cachesSuccessesForTheTtlAndRejectionsForATenth() {
    auth.authorize("Bearer op", null);
    auth.authorize("Bearer op", null);
    assertThat(calls).hasValue(1);
    now = now.plusSeconds(61);
    auth.authorize("Bearer op", null);
    assertThat(calls).hasValue(2);

    auth.authorize("Bearer bogus", null);
    auth.authorize("Bearer bogus", null);
    assertThat(calls).hasValue(3);
    now = now.plusSeconds(7);
    auth.authorize("Bearer bogus", null);
    assertThat(calls).hasValue(4);
  }

  @Test
  void anUnreachableApiServerIs503AndNotCached() {
    down = true;
    assertThat(auth.authorize("Bearer op", null).status()).isEqualTo(503);
    down = false;
    assertThat(auth.authorize("Bearer op", null).status()).isEqualTo(200);
  }

  @Test
  void theServiceAccountMustBeNamespaceColonName() {
    assertThatThrownBy(
            () -> new ServiceAccountAuthorizer(api, "kubefim", "operator", Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("namespace:name");
  }
}
