package io.kubefim.config.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubefim.api.pods.PodIdentities;
import io.kubefim.api.pods.PodIdentity;
import io.kubefim.config.pods.PodDirectory.Lookup;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * The pod directory of Kubernetes mode: each node's pods, listed from the API server (field
 * selector {@code spec.nodeName=<node>}, all namespaces), kept per node for {@code cacheTtl}, and
 * listed again when a lookup misses or finds the list stale, but never more than once per {@code
 * minRelistInterval} per node.
 *
 * <p>Why these bounds (an intruder on a node holds that node's agent token, and may ask as often as
 * it likes): whatever the lookups, each node is listed at most once per {@code minRelistInterval}
 * (2 s), including after a failed list; only nodes the Node informer knows are listed at all, so a
 * made-up node name costs no API call; and at most {@code maxNodes} nodes are kept, the least
 * recently used dropped beyond. The API server therefore sees at most (known nodes) / {@code
 * minRelistInterval} lists however many requests arrive, and memory is bounded by {@code maxNodes}
 * × pods per node. Lookups of one node that arrive while its list is under way wait for that list
 * instead of starting their own.
 *
 * <p>Not found means "not on the node's list, taken at most {@code minRelistInterval} ago": a pod
 * created just after a list is found by a lookup after the interval. A lookup that names a
 * container the cached pod lacks (an ephemeral container of {@code kubectl debug}, added to a
 * running pod) is a miss too, under the same bound; it is answered with the pod as listed.
 *
 * <p>Threading: safe from any thread. Blocking: a lookup may list, a blocking call to the API
 * server; call it from a worker thread.
 */
public final class NodePods implements PodDirectory {
  private static final Logger LOG = Logger.getLogger(NodePods.class);

  /** Lists the pods bound to a node; throws when the API server cannot be asked. */
  @FunctionalInterface
  public interface PodLister {
    List<Pod> podsOn(String node);
  }

  private final PodLister lister;
  private final Predicate<String> knownNode;
  private final LongSupplier nanoTime;
  private final long ttlNanos;
  private final long minRelistNanos;
  private final Map<String, NodeEntry> nodes; // guarded by itself
  private final Counter listsOk;
  private final Counter listsFailed;

  /**
   * @param lister lists a node's pods from the API server
   * @param knownNode whether a node exists (the Node informer): unknown nodes are never listed
   * @param nanoTime a monotonic clock ({@code System::nanoTime})
   */
  public NodePods(
      PodLister lister,
      Predicate<String> knownNode,
      LongSupplier nanoTime,
      Duration cacheTtl,
      Duration minRelistInterval,
      int maxNodes,
      MeterRegistry metrics) {
    if (maxNodes < 1) {
      throw new IllegalArgumentException("kubefim.config.pods.max-nodes must be at least 1");
    }
    this.lister = lister;
    this.knownNode = knownNode;
    this.nanoTime = nanoTime;
    this.ttlNanos = cacheTtl.toNanos();
    this.minRelistNanos = minRelistInterval.toNanos();
    this.nodes =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, NodeEntry> eldest) {
            return size() > maxNodes;
          }
        };
    this.listsOk = metrics.counter("kubefim.config.pods.lists", "outcome", "ok");
    this.listsFailed = metrics.counter("kubefim.config.pods.lists", "outcome", "failed");
    Gauge.builder("kubefim.config.pods.nodes", this, NodePods::cachedNodes)
        .description("nodes whose pod list config-service keeps")
        .register(metrics);
  }

  @Override
  public Lookup find(String node, String podUid, String containerId) {
    if (!knownNode.test(node)) {
      return Lookup.notFound("unknown node: " + node);
    }
    NodeEntry e = entryOf(node);
    synchronized (e) { // one list per node at a time; the others wait for it and use it
      long now = nanoTime.getAsLong();
      PodIdentity cached = e.pods.get(podUid);
      boolean complete =
          cached != null && (containerId == null || cached.containerName(containerId).isPresent());
      if (complete && e.listed && now - e.listedAt < ttlNanos) {
        return Lookup.found(cached);
      }
      if (e.attempted && now - e.attemptedAt < minRelistNanos) {
        // Too soon to list again: answer from the last look.
        if (cached != null) {
          return Lookup.found(cached);
        }
        if (e.lastFailed) {
          return Lookup.unavailable("the pods of node " + node + " could not be listed; retry");
        }
        return notOn(node, podUid);
      }
      e.attempted = true;
      e.attemptedAt = now;
      List<Pod> pods;
      try {
        pods = lister.podsOn(node);
      } catch (RuntimeException ex) {
        e.lastFailed = true;
        listsFailed.increment();
        LOG.warnf("pods of a node could not be listed: node=%s error=%s", node, ex.toString());
        if (cached != null) {
          // uid, name and namespace of a pod never change: the older answer is still right.
          return Lookup.found(cached);
        }
        return Lookup.unavailable("the pods of node " + node + " could not be listed; retry");
      }
      Map<String, PodIdentity> byUid = new HashMap<>();
      for (Pod p : pods) {
        PodIdentity id = PodIdentities.of(p);
        if (id.uid() != null) {
          byUid.put(id.uid(), id);
        }
      }
      e.pods = byUid;
      e.listed = true;
      e.listedAt = now;
      e.lastFailed = false;
      listsOk.increment();
      LOG.debugf("pods listed: node=%s pods=%d", node, byUid.size());
      PodIdentity found = byUid.get(podUid);
      return found != null ? Lookup.found(found) : notOn(node, podUid);
    }
  }

  /** Nodes whose pod list is kept now; for metrics and tests. */
  public int cachedNodes() {
    synchronized (nodes) {
      return nodes.size();
    }
  }

  private static Lookup notOn(String node, String podUid) {
    return Lookup.notFound("no pod with uid " + podUid + " on node " + node);
  }

  private NodeEntry entryOf(String node) {
    synchronized (nodes) {
      return nodes.computeIfAbsent(node, n -> new NodeEntry());
    }
  }

  /** One node's pods and when they were listed; guarded by the entry's own monitor. */
  private static final class NodeEntry {
    Map<String, PodIdentity> pods = Map.of();
    boolean listed; // a list has succeeded once
    long listedAt; // when the last successful list started
    boolean attempted;
    long attemptedAt; // when the last list (successful or not) started
    boolean lastFailed;
  }
}
