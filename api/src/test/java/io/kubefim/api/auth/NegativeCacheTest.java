package io.kubefim.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A flood of bad tokens costs one TokenReview per distinct token per negative TTL, bounded. */
class NegativeCacheTest {
  final AgentAuthenticatorTest.FakeApi api = new AgentAuthenticatorTest.FakeApi();
  final AgentAuthenticatorTest.MutableClock clock = new AgentAuthenticatorTest.MutableClock();
  final AgentAuthenticator auth =
      new AgentAuthenticator(
          api, api, "kubefim", "kubefim:kubefim-agent", Duration.ofSeconds(60), clock);

  {
    api.tokens.put(
        "good@kubefim",
        new TokenReviewer.Review(
            true,
            AgentAuthenticatorTest.AGENT,
            Map.of(AgentAuthenticator.NODE_NAME, List.of("node-a")),
            null));
  }

  @Test
  void oneBadTokenRepeatedCostsOneReviewPerNegativeTtl() {
    for (int i = 0; i < 10_000; i++) {
      assertThat(auth.authorize("Bearer bogus", "node-a").status()).isEqualTo(401);
    }
    assertThat(api.calls).hasValue(1);
    clock.advance(Duration.ofSeconds(5)); // within ttl/10 = 6 s
    auth.authorize("Bearer bogus", "node-a");
    assertThat(api.calls).hasValue(1);
    clock.advance(Duration.ofSeconds(2));
    auth.authorize("Bearer bogus", "node-a");
    assertThat(api.calls).hasValue(2);
  }

  @Test
  void distinctBadTokensStayBoundedAndNeverEvictAnAgentsReview() {
    assertThat(auth.authorize("Bearer good", "node-a").allowed()).isTrue();
    int flood = AgentAuthenticator.MAX_DENIED * 3;
    for (int i = 0; i < flood; i++) {
      assertThat(auth.authorize("Bearer bogus-" + i, "node-a").status()).isEqualTo(401);
    }
    assertThat(api.calls).hasValue(1 + flood);
    assertThat(auth.cache().deniedSize()).isEqualTo(AgentAuthenticator.MAX_DENIED);
    assertThat(auth.cache().allowedSize()).isEqualTo(1);
    // the agent's success is still cached: no review for it
    assertThat(auth.authorize("Bearer good", "node-a").allowed()).isTrue();
    assertThat(api.calls).hasValue(1 + flood);
    // the newest rejections are the ones kept
    auth.authorize("Bearer bogus-" + (flood - 1), "node-a");
    assertThat(api.calls).hasValue(1 + flood);
  }

  @Test
  void concurrentRequestsWithOneTokenShareOneReview() throws Exception {
    int threads = 16;
    AtomicInteger entered = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    TokenReviewer slow =
        (token, audience) -> {
          calls.incrementAndGet();
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
          while (entered.get() < threads && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // hold the review open until every request has arrived
          }
          return new TokenReviewer.Review(false, null, null, "invalid bearer token");
        };
    AgentAuthenticator shared =
        new AgentAuthenticator(
            slow, api, "kubefim", "kubefim:kubefim-agent", Duration.ofSeconds(60), clock);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<AuthDecision>> answers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        answers.add(
            pool.submit(
                () -> {
                  entered.incrementAndGet();
                  return shared.authorize("Bearer same-bogus", "node-a");
                }));
      }
      for (Future<AuthDecision> a : answers) {
        assertThat(a.get(10, TimeUnit.SECONDS).status()).isEqualTo(401);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(calls).hasValue(1);
    assertThat(shared.cache().inFlight()).isZero();
  }

  @Test
  void anUnavailableReviewReachesEveryWaiterAndIsNotCached() {
    api.down = true;
    assertThat(auth.authorize("Bearer good", "node-a").status()).isEqualTo(503);
    assertThat(auth.cache().deniedSize()).isZero();
    assertThat(auth.cache().inFlight()).isZero();
    api.down = false;
    assertThat(auth.authorize("Bearer good", "node-a").allowed()).isTrue();
  }
}
