package io.kubefim.config.source;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubefim.api.policy.FimPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Policies and nodes from the Kubernetes API through two Fabric8 informers. Every add, update or
 * delete of a FimPolicy, and every Node label change, makes a new snapshot from the informer
 * caches. Not ready until both informers have synced, so agents never get a config compiled from a
 * partial cache.
 *
 * <p>Threading: informer callbacks run on Fabric8's informer thread; snapshots are rebuilt under a
 * lock and published through a volatile field. Call {@link #close()} to stop the informers.
 */
public final class KubernetesPolicySource implements PolicySource, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(KubernetesPolicySource.class);

  private final SharedIndexInformer<FimPolicy> policies;
  private final SharedIndexInformer<Node> nodes;
  private final List<Consumer<PolicySnapshot>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong revision = new AtomicLong();
  private volatile PolicySnapshot snapshot = PolicySnapshot.EMPTY;

  public KubernetesPolicySource(KubernetesClient client) {
    this.policies = client.resources(FimPolicy.class).runnableInformer(0);
    this.nodes = client.nodes().runnableInformer(0);
    policies.addEventHandler(new Rebuild<>());
    nodes.addEventHandler(new Rebuild<>());
    // Non-blocking start: the informers list and watch on the client's own threads; the snapshot
    // is rebuilt once more when both have synced (isReady() turns true then).
    CompletableFuture.allOf(
            policies.start().toCompletableFuture(), nodes.start().toCompletableFuture())
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                LOG.errorf("informers failed to start: %s", e.toString());
              }
              rebuild();
            });
  }

  @Override
  public PolicySnapshot current() {
    return snapshot;
  }

  @Override
  public void onChange(Consumer<PolicySnapshot> listener) {
    listeners.add(listener);
  }

  @Override
  public boolean isReady() {
    return policies.hasSynced() && nodes.hasSynced();
  }

  @Override
  public void close() {
    policies.close();
    nodes.close();
  }

  private synchronized void rebuild() {
    if (policies == null || nodes == null) {
      return; // called from an informer callback before the constructor finished
    }
    Map<String, Map<String, String>> labels = new HashMap<>();
    for (Node n : nodes.getStore().list()) {
      Map<String, String> l = n.getMetadata().getLabels();
      labels.put(n.getMetadata().getName(), l == null ? Map.of() : Map.copyOf(l));
    }
    PolicySnapshot next =
        new PolicySnapshot(
            revision.incrementAndGet(), policies.getStore().list(), List.of(), labels, false);
    PolicySnapshot prev = snapshot;
    snapshot = next;
    if (sameContent(prev, next)) {
      return;
    }
    LOG.debugf(
        "snapshot rebuilt: revision=%d policies=%d nodes=%d",
        next.revision(), next.policies().size(), labels.size());
    listeners.forEach(l -> l.accept(next));
  }

  private static boolean sameContent(PolicySnapshot a, PolicySnapshot b) {
    return a.nodes().equals(b.nodes()) && a.policies().equals(b.policies());
  }

  private final class Rebuild<T> implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T obj) {
      rebuild();
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
      rebuild();
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
      rebuild();
    }
  }
}
