package io.kubefim.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AgentAuthenticatorTest {
  static final String AGENT = "system:serviceaccount:kubefim:kubefim-agent";

  /** A fake API server: tokens it knows, with their review; counts calls. */
  static final class FakeApi implements TokenReviewer, PodLocator {
    final Map<String, Review> tokens = new HashMap<>();
    final Map<String, String> podNodes = new HashMap<>();
    final AtomicInteger calls = new AtomicInteger();
    boolean down;

    @Override
    public Review review(String token, String audience) {
      calls.incrementAndGet();
      if (down) {
        throw new ReviewUnavailableException("TokenReview failed: HTTP 503", null);
      }
      Review r = tokens.get(token + "@" + audience);
      return r != null ? r : new Review(false, null, null, "token audiences are invalid");
    }

    @Override
    public Optional<String> nodeOf(String namespace, String pod) {
      return Optional.ofNullable(podNodes.get(namespace + "/" + pod));
    }
  }

  final FakeApi api = new FakeApi();
  final MutableClock clock = new MutableClock();
  final AgentAuthenticator auth =
      new AgentAuthenticator(
          api, api, "kubefim", "kubefim:kubefim-agent", Duration.ofSeconds(60), clock);

  {
    api.tokens.put(
        "bound@kubefim",
        new TokenReviewer.Review(
            true, AGENT, Map.of(AgentAuthenticator.NODE_NAME, List.of("node-a")), null));
    api.tokens.put(
        "legacy@kubefim",
        new TokenReviewer.Review(
            true, AGENT, Map.of(AgentAuthenticator.POD_NAME, List.of("agent-x")), null));
    api.podNodes.put("kubefim/agent-x", "node-b");
    api.tokens.put(
        "other@kubefim",
        new TokenReviewer.Review(
            true,
            "system:serviceaccount:default:builder",
            Map.of(AgentAuthenticator.NODE_NAME, List.of("node-a")),
            null));
  }

  @Test
  void noTokenIs401() {
    assertThat(auth.authorize(null, "node-a").status()).isEqualTo(401);
    assertThat(auth.authorize("Basic abc", "node-a").status()).isEqualTo(401);
    assertThat(auth.authorize("Bearer   ", "node-a").status()).isEqualTo(401);
  }

  @Test
  void aTokenForAnotherAudienceIs401WithTheServersReason() {
    AuthDecision d = auth.authorize("Bearer wrong-audience", "node-a");
    assertThat(d.status()).isEqualTo(401);
    assertThat(d.reason()).contains("audience kubefim").contains("token audiences are invalid");
  }

  @Test
  void anotherServiceAccountIs403() {
    AuthDecision d = auth.authorize("Bearer other", "node-a");
    assertThat(d.status()).isEqualTo(403);
    assertThat(d.reason()).contains("default:builder").doesNotContain("other");
  }

  @Test
  void aBoundTokenActsForItsOwnNodeOnly() {
    assertThat(auth.authorize("Bearer bound", "node-a")).isEqualTo(AuthDecision.allow("node-a"));
    AuthDecision d = auth.authorize("bearer bound", "node-b");
    assertThat(d.status()).isEqualTo(403);
    assertThat(d.reason()).isEqualTo("the token of node node-a may not act for node node-b");
  }

  @Test
  void withoutANodeClaimThePodIsLookedUp() {
    assertThat(auth.authorize("Bearer legacy", "node-b").allowed()).isTrue();
    assertThat(auth.authorize("Bearer legacy", "node-a").status()).isEqualTo(403);
  }

  @Test
  void reviewsAreCachedForTheTtlAndFailuresBriefly() {
    auth.authorize("Bearer bound", "node-a");
    auth.authorize("Bearer bound", "node-a");
    assertThat(api.calls).hasValue(1);
    clock.advance(Duration.ofSeconds(61));
    auth.authorize("Bearer bound", "node-a");
    assertThat(api.calls).hasValue(2);

    auth.authorize("Bearer nope", "node-a");
    auth.authorize("Bearer nope", "node-a");
    assertThat(api.calls).hasValue(3);
    clock.advance(Duration.ofSeconds(7));
    auth.authorize("Bearer nope", "node-a");
    assertThat(api.calls).hasValue(4);
  }

  @Test
  void anUnreachableApiServerIs503AndNotCached() {
    api.down = true;
    assertThat(auth.authorize("Bearer bound", "node-a").status()).isEqualTo(503);
    api.down = false;
    assertThat(auth.authorize("Bearer bound", "node-a").allowed()).isTrue();
  }

  @Test
  void theSharedLocalTokenActsForAnyNode() {
    SharedTokenAuthorizer local = new SharedTokenAuthorizer("s3cret");
    assertThat(local.authorize("Bearer s3cret", "any").allowed()).isTrue();
    assertThat(local.authorize("Bearer guess", "any").status()).isEqualTo(401);
    assertThat(local.authorize(null, "any").status()).isEqualTo(401);
  }

  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-11-28T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

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
  }
}
