package io.kubefim.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.engine.EventFactory;
import io.kubefim.agent.engine.StoreChangeWriter;
import io.kubefim.agent.fakes.FakeIngest;
import io.kubefim.agent.http.AgentMetrics;
import io.kubefim.agent.remote.TokenFile;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The outbox → ingest-service path over real HTTP against {@link FakeIngest}: what is deleted when,
 * and that every event arrives (by EventId) whatever the service answers on the way.
 */
class HttpSinkIT {
  static final OutboxDrainer.Limits FAST = new OutboxDrainer.Limits(50, 1_000_000, 20, 200);
  @TempDir Path tmp;
  Fixture fx;
  FakeIngest ingest;
  AgentMetrics metrics = new AgentMetrics();
  OutboxDrainer drainer;
  StoreChangeWriter writer;
  EventFactory events = new EventFactory("node-a", Clock.systemUTC());

  @BeforeEach
  void setUp() throws IOException {
    fx = new Fixture(tmp);
    writer = new StoreChangeWriter(fx.store, e -> {});
  }

  @AfterEach
  void tearDown() throws IOException {
    if (drainer != null) {
      drainer.stop();
    }
    if (ingest != null) {
      ingest.close();
    }
    fx.close();
  }

  List<FimEvent> record(int n) throws IOException {
    List<FimEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          events
              .agent(ChangeType.RescanCompleted, "event " + i, null)
              .setFilePath("/etc/file-" + i));
    }
    writer.write(List.of(), out, Map.of());
    return out;
  }

  void startDrainer(String url, TokenFile token) {
    drainer =
        new OutboxDrainer(
            fx.store, new HttpSink(url, token, metrics, Duration.ofSeconds(10)), FAST);
    drainer.start();
  }

  void assertAllArrived(List<FimEvent> sent) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> fx.store.outboxDepth() == 0 && ingest.events.size() >= sent.size());
    assertThat(ingest.events.keySet())
        .containsExactlyInAnyOrderElementsOf(
            sent.stream().map(e -> e.getEventId().toLowerCase()).toList());
  }

  @Test
  void accepted202DeletesTheRows() throws IOException {
    ingest = FakeIngest.start(0);
    List<FimEvent> sent = record(120);
    startDrainer(ingest.url(), TokenFile.none());
    assertAllArrived(sent);
    assertThat(ingest.batchSizes).allMatch(n -> n <= 50);
    assertThat(ingest.duplicates.get()).isZero();
  }

  @Test
  void tooManyRequestsWaitsRetryAfterAndSendsTheSameBatch() throws IOException {
    ingest = FakeIngest.start(0);
    ingest.script.add(new FakeIngest.Answer(429, "1", "{\"error\":\"pipeline full\"}"));
    ingest.script.add(new FakeIngest.Answer(503, "0", "{\"error\":\"sink failed\"}"));
    List<FimEvent> sent = record(10);
    startDrainer(ingest.url(), TokenFile.none());
    assertAllArrived(sent);
    assertThat(ingest.requests.get()).isEqualTo(3);
    assertThat(ingest.batchSizes).containsExactly(10);
  }

  @Test
  void serverErrorsBackOffAndEveryEventArrivesOnce() throws IOException {
    ingest = FakeIngest.start(0);
    for (int i = 0; i < 4; i++) {
      ingest.script.add(new FakeIngest.Answer(500, null, "{\"error\":\"boom\"}"));
    }
    List<FimEvent> sent = record(130);
    startDrainer(ingest.url(), TokenFile.none());
    assertAllArrived(sent);
    assertThat(ingest.requests.get()).isGreaterThanOrEqualTo(4 + 3);
    assertThat(ingest.duplicates.get()).isZero();
  }

  @Test
  void rejectedEventsAreDeadLettersAndTheRestIsDelivered() throws IOException {
    ingest = FakeIngest.start(0);
    ingest.invalid = e -> e.path("FilePath").asText().endsWith("-3");
    List<FimEvent> sent = record(10);
    List<String> logged = captureLogs(HttpSink.class);
    startDrainer(ingest.url(), TokenFile.none());
    await().atMost(Duration.ofSeconds(20)).until(() -> fx.store.outboxDepth() == 0);
    assertThat(ingest.events).hasSize(9);
    assertThat(metrics.deadLettered()).isEqualTo(1);
    assertThat(ingest.requests.get()).isEqualTo(1); // never resent
    assertThat(String.join("\n", logged))
        .contains("dead letter")
        .contains(sent.get(3).getEventId())
        .contains("FilePath: refused by the test");
    assertThat(metrics.scrape()).contains("kubefim_agent_events_dead_lettered_total 1");
  }

  /**
   * Whole-batch refusals that are not ingest-service's per-event answer: a 400 with no body, a
   * proxy's HTML 400, ingest-service's own whole-batch 400, a 400 list naming events of another
   * batch, a 413 for every size down to one event. None may drop an event.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "400|",
        "400|<html><head><title>400 Bad Request</title></head><body><center><h1>400 Bad"
            + " Request</h1></center><hr><center>nginx</center></body></html>",
        "400|{\"error\":\"body could not be read: Unexpected end-of-input\"}",
        "400|{\"accepted\":0,\"duplicates\":0,\"rejectedCount\":1,"
            + "\"rejected\":[{\"index\":0,\"eventId\":\"not-in-this-batch\",\"reasons\":[]}]}",
        "413|<html><body><h1>413 Request Entity Too Large</h1></body></html>",
      })
  void refusalsThatAreNotPerEventKeepEveryEventAndRetry(int status, String body)
      throws IOException {
    ingest = FakeIngest.start(0);
    ingest.always = new FakeIngest.Answer(status, null, body);
    List<FimEvent> sent = record(10);
    startDrainer(ingest.url(), TokenFile.none());
    // 413: 10 → 5 → 2 → 1, then the single event again and again
    await().atMost(Duration.ofSeconds(20)).until(() -> metrics.refusedWholeCount(status) >= 8);
    assertThat(fx.store.outboxDepth()).as("nothing leaves the outbox").isEqualTo(10);
    assertThat(metrics.deadLettered()).isZero();
    assertThat(metrics.scrape()).contains("kubefim_agent_ship_refused_total{status=\"" + status);
    assertThat(ingest.events).isEmpty();

    ingest.always = null; // the proxy fixed: everything arrives, nothing was lost
    assertAllArrived(sent);
    assertThat(metrics.deadLettered()).isZero();
  }

  @Test
  void perEventRejectionInALargeBatchDeadLettersExactlyTheRejected() throws IOException {
    ingest = FakeIngest.start(0);
    ingest.invalid =
        e -> {
          String p = e.path("FilePath").asText();
          return p.endsWith("-7") || p.endsWith("-31") || p.endsWith("-44");
        };
    List<FimEvent> sent = record(120); // three batches of at most 50
    startDrainer(ingest.url(), TokenFile.none());
    await().atMost(Duration.ofSeconds(20)).until(() -> fx.store.outboxDepth() == 0);
    assertThat(metrics.deadLettered()).isEqualTo(3);
    assertThat(ingest.events.keySet())
        .containsExactlyInAnyOrderElementsOf(
            sent.stream()
                .filter(e -> !e.getFilePath().matches(".*-(7|31|44)$"))
                .map(e -> e.getEventId().toLowerCase())
                .toList());
  }

  @Test
  void tooLargeSplitsTheBatchInHalves() throws IOException {
    ingest = FakeIngest.start(0);
    ingest.maxEvents = 12;
    List<FimEvent> sent = record(50);
    startDrainer(ingest.url(), TokenFile.none());
    assertAllArrived(sent);
    assertThat(ingest.batchSizes).contains(50, 25, 12);
    assertThat(ingest.duplicates.get()).isZero();
  }

  @Test
  void ingestDownForAWhileThenUpEverythingArrives() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<FimEvent> sent = new ArrayList<>(record(40));
    startDrainer("http://127.0.0.1:" + port, TokenFile.none());
    sent.addAll(record(40)); // more while it is down
    await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(fx.store.outboxDepth()).isEqualTo(80);
    ingest = FakeIngest.start(port);
    assertAllArrived(sent);
  }

  @Test
  void outboxSurvivesARestartWhileIngestIsDown() throws IOException {
    List<FimEvent> sent = record(25);
    fx.reopen();
    assertThat(fx.store.outboxDepth()).isEqualTo(25);
    ingest = FakeIngest.start(0);
    startDrainer(ingest.url(), TokenFile.none());
    assertAllArrived(sent);
  }

  @Test
  void bearerTokenIsSentReadAgainAfterRotationAndNeverLogged() throws IOException {
    Path token = tmp.resolve("token");
    Files.writeString(token, "first-secret-token\n");
    ingest = FakeIngest.start(0);
    ingest.requiredToken = "first-secret-token";
    List<String> logged = captureLogs(OutboxDrainer.class);
    List<FimEvent> sent = new ArrayList<>(record(5));
    startDrainer(ingest.url(), TokenFile.at(token));
    await().atMost(Duration.ofSeconds(20)).until(() -> ingest.events.size() == 5);

    // rotation: the service moves first (401s, events kept), then the kubelet rewrites the file
    ingest.requiredToken = "second-secret-token";
    sent.addAll(record(5));
    drainer.wake();
    await().atMost(Duration.ofSeconds(20)).until(() -> ingest.requests.get() >= 3);
    assertThat(fx.store.outboxDepth()).isEqualTo(5);
    Files.writeString(token, "second-secret-token");
    assertAllArrived(sent);
    assertThat(ingest.authorizations)
        .contains("Bearer first-secret-token", "Bearer second-secret-token");
    assertThat(String.join("\n", logged)).contains("401").doesNotContain("secret-token");
  }

  /** Records what {@code type}'s logger writes while the test runs. */
  static List<String> captureLogs(Class<?> type) {
    List<String> out = java.util.Collections.synchronizedList(new ArrayList<>());
    Logger log = Logger.getLogger(type.getName());
    log.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            out.add(new java.util.logging.SimpleFormatter().formatMessage(r));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
    return out;
  }
}
