package io.kubefim.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.event.FimEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batches waiting for a lane go to the sinks together; each is still acked only when durable. */
class GroupDeliveryTest {
  private final List<IngestBatch> delivered = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch firstCallEntered = new CountDownLatch(1);
  private final CountDownLatch releaseFirstCall = new CountDownLatch(1);
  private volatile Predicate<IngestBatch> fails = b -> false;
  private volatile SinkException failure = new SinkException("store", "refused", null, null);
  private GroupDelivery groups;

  @AfterEach
  void close() {
    releaseFirstCall.countDown();
    if (groups != null) {
      groups.close(Duration.ofSeconds(5));
    }
  }

  /** One lane whose first delivery blocks until released, so later batches queue behind it. */
  private GroupDelivery oneLane(int maxGroupEvents) {
    return new GroupDelivery(
        batch -> {
          if (firstCallEntered.getCount() > 0) {
            firstCallEntered.countDown();
            await(releaseFirstCall);
          }
          delivered.add(batch);
          if (fails.test(batch)) {
            throw failure;
          }
        },
        maxGroupEvents,
        1,
        "test-lane",
        new SimpleMeterRegistry());
  }

  @Test
  void batchesWaitingBehindABusyLaneAreDeliveredAsOneGroupAndEachIsAcked() throws Exception {
    groups = oneLane(5000);
    Sent blocker = send(batch("b0", "e0"));
    await(firstCallEntered);
    Sent a = send(batch("b1", "e1", "e2"));
    Sent b = send(batch("b2", "e3"));
    Sent c = send(batch("b3", "e4", "e5"));
    assertThat(a.done).isNotDone(); // not acked before its group is in the sinks
    releaseFirstCall.countDown();
    for (Sent s : List.of(blocker, a, b, c)) {
      assertThat(s.outcome()).isEqualTo("ack");
    }
    assertThat(delivered).hasSize(2);
    assertThat(ids(delivered.get(1))).containsExactly("e1", "e2", "e3", "e4", "e5");
  }

  @Test
  void anEventIdInTwoBatchesOfOneGroupIsDeliveredOnce() throws Exception {
    groups = oneLane(5000);
    send(batch("b0", "e0"));
    await(firstCallEntered);
    Sent original = send(batch("b1", "e1", "e2"));
    Sent retry = send(batch("b2", "e2", "e3"));
    releaseFirstCall.countDown();
    assertThat(original.outcome()).isEqualTo("ack");
    assertThat(retry.outcome()).isEqualTo("ack");
    assertThat(ids(delivered.get(1))).containsExactly("e1", "e2", "e3");
  }

  @Test
  void aGroupStopsAtMaxGroupEventsAndALargerBatchGoesAlone() throws Exception {
    groups = oneLane(3);
    send(batch("b0", "e0"));
    await(firstCallEntered);
    Sent a = send(batch("b1", "e1", "e2"));
    Sent b = send(batch("b2", "e3", "e4")); // 2 + 2 > 3: the next group
    Sent big = send(batch("b3", "e5", "e6", "e7", "e8"));
    releaseFirstCall.countDown();
    for (Sent s : List.of(a, b, big)) {
      assertThat(s.outcome()).isEqualTo("ack");
    }
    assertThat(delivered.stream().map(GroupDeliveryTest::ids))
        .containsExactly(
            List.of("e0"),
            List.of("e1", "e2"),
            List.of("e3", "e4"),
            List.of("e5", "e6", "e7", "e8"));
  }

  @Test
  void aBatchTheSinkRefusesFailsOnlyItselfNotTheOthersOfItsGroup() throws Exception {
    groups = oneLane(5000);
    fails = batch -> ids(batch).contains("poison");
    send(batch("b0", "e0"));
    await(firstCallEntered);
    Sent good1 = send(batch("b1", "e1"));
    Sent poison = send(batch("b2", "poison"));
    Sent good2 = send(batch("b3", "e3"));
    releaseFirstCall.countDown();
    assertThat(good1.outcome()).isEqualTo("ack");
    assertThat(good2.outcome()).isEqualTo("ack");
    assertThat(poison.outcome()).isEqualTo("nack: store: refused");
    // the group, then each batch alone
    assertThat(delivered.stream().map(GroupDeliveryTest::ids))
        .containsExactly(
            List.of("e0"),
            List.of("e1", "poison", "e3"),
            List.of("e1"),
            List.of("poison"),
            List.of("e3"));
  }

  @Test
  void aSinkThatSaysWhenToComeBackNacksTheWholeGroupAtOnce() throws Exception {
    groups = oneLane(5000);
    fails = batch -> batch.events().size() > 1;
    failure = new SinkException("azure", "429 throttled", Duration.ofSeconds(7), null);
    send(batch("b0", "e0"));
    await(firstCallEntered);
    Sent a = send(batch("b1", "e1"));
    Sent b = send(batch("b2", "e2"));
    releaseFirstCall.countDown();
    assertThat(a.outcome()).isEqualTo("nack: azure: 429 throttled");
    assertThat(b.outcome()).isEqualTo("nack: azure: 429 throttled");
    assertThat(delivered).hasSize(2); // no batch-by-batch retry against a throttled sink
  }

  @Test
  void closingNacksWhatIsStillWaitingAndRefusesNewBatches() throws Exception {
    groups = oneLane(5000);
    Sent inSink = send(batch("b0", "e0"));
    await(firstCallEntered);
    Sent waiting = send(batch("b1", "e1"));
    CompletableFuture<Void> closing =
        CompletableFuture.runAsync(() -> groups.close(Duration.ofMillis(200)));
    closing.get(5, TimeUnit.SECONDS);
    assertThat(waiting.outcome()).isEqualTo("nack: pipeline: shutting down; retry");
    assertThat(send(batch("b2", "e2")).outcome()).isEqualTo("nack: pipeline: shutting down; retry");
    releaseFirstCall.countDown();
    assertThat(inSink.outcome()).isEqualTo("ack"); // the group in the sink still finishes
  }

  private record Sent(CompletableFuture<String> done) {
    String outcome() throws Exception {
      return done.get(10, TimeUnit.SECONDS);
    }
  }

  private Sent send(IngestBatch batch) {
    CompletableFuture<String> done = new CompletableFuture<>();
    groups.submit(
        Message.of(
            batch,
            Metadata.empty(),
            () -> {
              done.complete("ack");
              return CompletableFuture.completedFuture(null);
            },
            e -> {
              done.complete("nack: " + e.getMessage());
              return CompletableFuture.completedFuture(null);
            }));
    return new Sent(done);
  }

  private static IngestBatch batch(String id, String... eventIds) {
    List<FimEvent> events = new ArrayList<>();
    for (String e : eventIds) {
      FimEvent event = new FimEvent();
      event.setEventId(e);
      events.add(event);
    }
    return new IngestBatch(id, events);
  }

  private static List<String> ids(IngestBatch batch) {
    return batch.events().stream().map(FimEvent::getEventId).toList();
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch").isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
