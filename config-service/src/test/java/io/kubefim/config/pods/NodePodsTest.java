package io.kubefim.config.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubefim.config.pods.PodDirectory.Lookup;
import io.kubefim.config.pods.PodDirectory.Lookup.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cache and rate limit of the pod directory, on a fake API server and a fake clock. */
class NodePodsTest {
  static final long SECOND = 1_000_000_000L;

  /** The fake API server: pods by node; counts the lists; fails while {@code down}. */
  final Map<String, List<Pod>> apiServer = new ConcurrentHashMap<>();

  final List<String> lists = new CopyOnWriteArrayList<>();
  volatile boolean down;
  final AtomicLong now = new AtomicLong(1_000 * SECOND);
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  NodePods directory(Set<String> knownNodes, int maxNodes) {
    return new NodePods(
        node -> {
          lists.add(node);
          if (down) {
            throw new KubernetesClientException("connection refused");
          }
          return List.copyOf(apiServer.getOrDefault(node, List.of()));
        },
        knownNodes::contains,
        now::get,
        Duration.ofSeconds(5),
        Duration.ofSeconds(2),
        maxNodes,
        metrics);
  }

  NodePods directory() {
    return directory(Set.of("node-a", "node-b", "node-c"), 100);
  }

  void schedule(String node, String uid, String name) {
    apiServer
        .computeIfAbsent(node, n -> new CopyOnWriteArrayList<>())
        .add(
            new PodBuilder()
                .withNewMetadata()
                .withUid(uid)
                .withName(name)
                .withNamespace("shop")
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .endSpec()
                .withNewStatus()
                .addNewContainerStatus()
                .withName("app")
                .withContainerID("containerd://" + "a".repeat(64))
                .endContainerStatus()
                .endStatus()
                .build());
  }

  void advance(double seconds) {
    now.addAndGet((long) (seconds * SECOND));
  }

  double listsCounted(String outcome) {
    return metrics.counter("kubefim.config.pods.lists", "outcome", outcome).count();
  }

  @Test
  void findsAPodOfTheNodeWithItsContainers() {
    schedule("node-a", "uid-1", "web-0");
    Lookup l = directory().find("node-a", "uid-1", null);
    assertThat(l.outcome()).isEqualTo(Outcome.FOUND);
    assertThat(l.pod().name()).isEqualTo("web-0");
    assertThat(l.pod().namespace()).isEqualTo("shop");
    assertThat(l.pod().containerName("a".repeat(64))).contains("app");
    assertThat(lists).containsExactly("node-a");
  }

  @Test
  void aPodOfAnotherNodeIsNotFound() {
    schedule("node-b", "uid-b", "db-0");
    NodePods d = directory();
    Lookup l = d.find("node-a", "uid-b", null);
    assertThat(l.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(l.reason()).isEqualTo("no pod with uid uid-b on node node-a");
    assertThat(d.find("node-b", "uid-b", null).outcome()).isEqualTo(Outcome.FOUND);
  }

  @Test
  void hitsWithinTheTtlAreAnsweredFromTheCache() {
    schedule("node-a", "uid-1", "web-0");
    NodePods d = directory();
    for (int i = 0; i < 50; i++) {
      assertThat(d.find("node-a", "uid-1", null).outcome()).isEqualTo(Outcome.FOUND);
      advance(0.09);
    }
    assertThat(lists).hasSize(1);
    advance(1); // past the 5 s TTL: the next lookup lists again
    d.find("node-a", "uid-1", null);
    assertThat(lists).hasSize(2);
  }

  @Test
  void missesListAgainAtMostOnceEveryTwoSecondsPerNode() {
    NodePods d = directory();
    for (int i = 0; i < 100; i++) {
      assertThat(d.find("node-a", "uid-" + i, null).outcome()).isEqualTo(Outcome.NOT_FOUND);
      advance(0.05); // 100 misses in 5 s
    }
    // lists at t = 0, 2, 4 s
    assertThat(lists).hasSize(3);
    assertThat(listsCounted("ok")).isEqualTo(3);
  }

  @Test
  void aPodCreatedAfterAListIsFoundOnceTheIntervalHasPassed() {
    NodePods d = directory();
    assertThat(d.find("node-a", "late", null).outcome()).isEqualTo(Outcome.NOT_FOUND);
    schedule("node-a", "late", "job-1");
    advance(1);
    assertThat(d.find("node-a", "late", null).outcome())
        .as("within the interval: the last look stands")
        .isEqualTo(Outcome.NOT_FOUND);
    advance(1);
    assertThat(d.find("node-a", "late", null).outcome()).isEqualTo(Outcome.FOUND);
    assertThat(lists).hasSize(2);
  }

  @Test
  void aContainerTheCachedPodLacksIsAMissUnderTheSameBound() {
    schedule("node-a", "uid-1", "web-0");
    NodePods d = directory();
    String app = "a".repeat(64);
    String debugger = "e".repeat(64);
    d.find("node-a", "uid-1", null);
    // kubectl debug adds an ephemeral container to the running pod
    Pod debugged =
        new PodBuilder(apiServer.get("node-a").get(0))
            .editStatus()
            .addNewEphemeralContainerStatus()
            .withName("debugger-x7k2p")
            .withContainerID("containerd://" + debugger)
            .endEphemeralContainerStatus()
            .endStatus()
            .build();
    apiServer.put("node-a", List.of(debugged));

    advance(1);
    Lookup soon = d.find("node-a", "uid-1", debugger);
    assertThat(soon.outcome())
        .as("within the interval: the pod as last listed")
        .isEqualTo(Outcome.FOUND);
    assertThat(soon.pod().containerName(debugger)).isEmpty();
    assertThat(lists).hasSize(1);

    advance(1);
    Lookup later = d.find("node-a", "uid-1", debugger);
    assertThat(later.pod().containerName(debugger)).contains("debugger-x7k2p");
    assertThat(lists).hasSize(2);
    // a container the cached pod has, within the TTL: no list
    advance(2.5);
    assertThat(d.find("node-a", "uid-1", app).pod().containerName(app)).contains("app");
    assertThat(lists).hasSize(2);
  }

  @Test
  void eachNodeHasItsOwnInterval() {
    NodePods d = directory();
    d.find("node-a", "x", null);
    d.find("node-b", "x", null);
    d.find("node-a", "y", null);
    d.find("node-b", "y", null);
    assertThat(lists).containsExactly("node-a", "node-b");
  }

  @Test
  void anUnknownNodeIsNeverListed() {
    NodePods d = directory();
    for (int i = 0; i < 10; i++) {
      Lookup l = d.find("made-up-" + i, "uid", null);
      assertThat(l.outcome()).isEqualTo(Outcome.NOT_FOUND);
      assertThat(l.reason()).isEqualTo("unknown node: made-up-" + i);
    }
    assertThat(lists).isEmpty();
    assertThat(d.cachedNodes()).isZero();
  }

  @Test
  void atMostMaxNodesAreKept() {
    NodePods d = directory(Set.of("node-a", "node-b", "node-c"), 2);
    d.find("node-a", "x", null);
    d.find("node-b", "x", null);
    d.find("node-c", "x", null);
    assertThat(d.cachedNodes()).isEqualTo(2);
    assertThat(metrics.get("kubefim.config.pods.nodes").gauge().value()).isEqualTo(2);
    // node-a was the least recently used: dropped, so it is listed again
    d.find("node-a", "x", null);
    assertThat(lists).containsExactly("node-a", "node-b", "node-c", "node-a");
  }

  @Test
  void aFailedListIsRateLimitedToo() {
    down = true;
    NodePods d = directory();
    Lookup l = d.find("node-a", "uid-1", null);
    assertThat(l.outcome()).isEqualTo(Outcome.UNAVAILABLE);
    assertThat(l.reason()).contains("could not be listed");
    for (int i = 0; i < 20; i++) {
      assertThat(d.find("node-a", "uid-1", null).outcome()).isEqualTo(Outcome.UNAVAILABLE);
    }
    assertThat(lists).hasSize(1);
    assertThat(listsCounted("failed")).isEqualTo(1);

    down = false;
    schedule("node-a", "uid-1", "web-0");
    advance(2);
    assertThat(d.find("node-a", "uid-1", null).outcome()).isEqualTo(Outcome.FOUND);
  }

  @Test
  void aKnownPodIsStillFoundWhileTheApiServerIsDown() {
    schedule("node-a", "uid-1", "web-0");
    NodePods d = directory();
    d.find("node-a", "uid-1", null);
    down = true;
    advance(10); // stale: it tries to list, fails, and answers from the last list
    Lookup l = d.find("node-a", "uid-1", null);
    assertThat(l.outcome()).isEqualTo(Outcome.FOUND);
    assertThat(l.pod().name()).isEqualTo("web-0");
    assertThat(lists).hasSize(2);
    // a uid it never saw is unavailable, not "not found", while the last list failed
    assertThat(d.find("node-a", "uid-2", null).outcome()).isEqualTo(Outcome.UNAVAILABLE);
  }

  @Test
  void lookupsArrivingDuringAListWaitForItAndUseIt() throws Exception {
    CountDownLatch listing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    schedule("node-a", "uid-0", "web-0");
    schedule("node-a", "uid-1", "web-1");
    AtomicLong calls = new AtomicLong();
    NodePods d =
        new NodePods(
            node -> {
              calls.incrementAndGet();
              listing.countDown();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return apiServer.get(node);
            },
            n -> true,
            now::get,
            Duration.ofSeconds(5),
            Duration.ofSeconds(2),
            10,
            metrics);
    List<Thread> threads = new CopyOnWriteArrayList<>();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            7,
            r -> {
              Thread t = new Thread(r);
              threads.add(t);
              return t;
            });
    try {
      List<Future<Lookup>> answers = new ArrayList<>();
      answers.add(pool.submit(() -> d.find("node-a", "uid-0", null)));
      assertThat(listing.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 6; i++) {
        answers.add(pool.submit(() -> d.find("node-a", "uid-1", null)));
      }
      // The six later lookups are parked on the node's monitor behind the list under way.
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  threads.stream().filter(t -> t.getState() == Thread.State.BLOCKED).count() == 6);
      release.countDown();
      for (Future<Lookup> f : answers) {
        assertThat(f.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.FOUND);
      }
      assertThat(calls.get()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
