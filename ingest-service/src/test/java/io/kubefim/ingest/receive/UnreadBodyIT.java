package io.kubefim.ingest.receive;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A refused request does not hold its body: clients (HTTP/2, as the agent's) send large bodies that
 * the service refuses without reading (here 415, a wrong Content-Type; 401 and 429 take the same
 * way), and stop just short of the end. While they hold their streams open, the heap must not hold
 * what they sent: before the fix every chunk sat in the framework's queue until the body ended, so
 * a flood of refused 4 MB batches (or of batches without a token) filled the heap.
 */
@QuarkusTest
class UnreadBodyIT {
  private static final int CLIENTS = 12;
  private static final int SENT = 3_900_000; // of a declared 4,000,000
  private static final int CHUNK = 16 * 1024;

  @TestHTTPResource("/v1/events")
  URI events;

  @Test
  void theUnreadRestOfARefusedBodyIsDroppedNotKeptInMemory() throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    // warm-up on the same connection (the JDK upgrades it to h2c with the first request)
    HttpResponse<String> warm =
        http.send(
            HttpRequest.newBuilder(events)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(warm.statusCode()).isEqualTo(415);
    long before = heapAfterGc();

    CountDownLatch release = new CountDownLatch(1);
    List<HeldBody> bodies = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      HeldBody body = new HeldBody(release);
      bodies.add(body);
      answers.add(
          http.sendAsync(
              HttpRequest.newBuilder(events)
                  .header("Content-Type", "text/plain")
                  .timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.fromPublisher(body, 4_000_000))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    try {
      // HTTP/2 flow control lets a client send only what the server took in: once every client
      // has sent its 3.9 MB, the service has received them (less one window each)
      for (HeldBody body : bodies) {
        assertThat(body.sentAll.await(30, TimeUnit.SECONDS))
            .as("a client sent its %d bytes (sent %d)", SENT, body.sent.get())
            .isTrue();
      }
      long held = heapAfterGc() - before;
      assertThat(held)
          .as("heap held while %d refused bodies of %d bytes are open", CLIENTS, SENT)
          .isLessThan(CLIENTS * (long) SENT / 4);
    } finally {
      release.countDown();
    }
    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(415);
    }
  }

  private static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** A body of 4,000,000 bytes that stops after {@link #SENT} until released. */
  private static final class HeldBody implements Flow.Publisher<ByteBuffer> {
    final CountDownLatch release;
    final CountDownLatch sentAll = new CountDownLatch(1);
    final AtomicLong sent = new AtomicLong();

    HeldBody(CountDownLatch release) {
      this.release = release;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
      subscriber.onSubscribe(
          new Flow.Subscription() {
            private boolean done;

            @Override
            public synchronized void request(long n) {
              for (long i = 0; i < n && !done; i++) {
                long at = sent.get();
                if (at == SENT) {
                  sentAll.countDown();
                  CompletableFuture.runAsync(
                      () -> {
                        try {
                          release.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        subscriber.onNext(ByteBuffer.allocate(4_000_000 - SENT));
                        subscriber.onComplete();
                      });
                  done = true;
                  return;
                }
                int len = (int) Math.min(CHUNK, SENT - at);
                sent.addAndGet(len);
                subscriber.onNext(ByteBuffer.allocate(len));
              }
            }

            @Override
            public void cancel() {
              done = true;
            }
          });
    }
  }
}
