package io.kubefim.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-item deadlines with real threads that block and never come back. */
class DeadlineBatchTest {
  final CountDownLatch never = new CountDownLatch(1);
  final ExecutorService pool = Executors.newFixedThreadPool(1);
  final Map<String, String> outcome = new ConcurrentHashMap<>();

  @AfterEach
  void release() {
    never.countDown();
    pool.shutdownNow();
  }

  DeadlineBatch<String> batch(List<String> items, String blocking) {
    return new DeadlineBatch<>(
        items,
        it -> {
          if (it.equals(blocking)) {
            block();
          }
          return () -> outcome.put(it, "read");
        },
        it -> TimeUnit.MILLISECONDS.toNanos(200),
        (it, neverStarted) -> outcome.put(it, neverStarted == 0 ? "timed out" : "never started"),
        pool,
        1);
  }

  void block() throws IOException {
    try {
      never.await();
    } catch (InterruptedException e) {
      throw new InterruptedIOException();
    }
  }

  @Test
  void aBlockedItemTimesOutAndTheOthersAreStillRead() {
    DeadlineBatch<String> b = batch(List.of("a", "b", "c"), "b");
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> b.await());
    assertThat(outcome)
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", "read", "b", "timed out", "c", "read"));
    never.countDown(); // the stuck worker returns at last: it changes nothing
    assertThat(outcome.get("b")).isEqualTo("timed out");
  }

  /** The pool's only thread is stuck in an earlier batch's read: this batch still finishes. */
  @Test
  void aPoolWhoseThreadsAreAllStuckDoesNotHangTheNextBatch() {
    pool.execute(
        () -> {
          try {
            block();
          } catch (IOException ignored) {
            // released at the end of the test
          }
        });
    DeadlineBatch<String> b = batch(List.of("x", "y"), "none");
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> b.await());
    assertThat(outcome).containsExactlyInAnyOrderEntriesOf(Map.of("x", "read", "y", "read"));
  }
}
