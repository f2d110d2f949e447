package io.kubefim.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubefim.api.compile.FleetPlan;
import io.kubefim.api.compile.FleetPlanner;
import io.kubefim.api.policy.FimPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Converges the live agent DaemonSet and ServiceAccount on what all live FimPolicies ask for (the
 * I/O shell around {@link FleetPlanner} and {@link AgentDaemonSetRenderer}).
 *
 * <p>Threading: {@link #converge} is synchronized. Reconciles of different policies run in
 * parallel; each renders from the whole policy cache, so serializing read-render-write makes the
 * last writer the one that saw the newest cache, and the DaemonSet ends on the newest state.
 *
 * <p>Never shrinks from a stale cache (java-operator-sdk issue 2869): a policy that owns the live
 * DaemonSet but is missing from the cache is fetched from the API server and kept unless it is gone
 * or being deleted.
 */
public class AgentDaemonSetApplier {
  private static final Logger LOG = Logger.getLogger(AgentDaemonSetApplier.class);

  /** What {@link #converge} did. */
  public enum Outcome {
    CREATED,
    UPDATED,
    UNCHANGED,
    DELETED,
    /** Policies exist but none is valid: the DaemonSet is left as it is. */
    LEFT_ALONE
  }

  private final KubernetesClient client;
  private final AgentSettings settings;

  public AgentDaemonSetApplier(KubernetesClient client, AgentSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  public AgentSettings settings() {
    return settings;
  }

  /**
   * Brings the DaemonSet in line with {@code cached} policies.
   *
   * @param cached every FimPolicy the informer holds
   * @param deleting the name of a policy being cleaned up, left out of the rendering; or null
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on an API failure (retryable)
   */
  public synchronized Outcome converge(Collection<FimPolicy> cached, String deleting) {
    DaemonSet live = daemonSets().get();
    List<FimPolicy> policies = livePolicies(cached, deleting, live);
    FleetPlan plan = FleetPlanner.plan(policies);
    if (plan.isEmpty()) {
      if (!policies.isEmpty()) {
        return Outcome.LEFT_ALONE;
      }
      boolean existed = live != null;
      daemonSets().delete();
      serviceAccounts().delete();
      if (existed) {
        LOG.infof(
            "deleted DaemonSet %s/%s: no policy left",
            settings.namespace(), AgentDaemonSetRenderer.NAME);
      }
      return existed ? Outcome.DELETED : Outcome.UNCHANGED;
    }
    Set<String> planned = Set.copyOf(plan.policyNames());
    List<FimPolicy> owners =
        policies.stream().filter(p -> planned.contains(p.getMetadata().getName())).toList();
    DaemonSet desired = AgentDaemonSetRenderer.desired(plan, settings, owners);
    ensureServiceAccount(AgentDaemonSetRenderer.serviceAccount(settings, owners));
    if (live == null) {
      client.apps().daemonSets().inNamespace(settings.namespace()).resource(desired).create();
      LOG.infof(
          "created DaemonSet %s/%s for policies %s, mounts %s",
          settings.namespace(), AgentDaemonSetRenderer.NAME, plan.policyNames(), plan.hostMounts());
      return Outcome.CREATED;
    }
    boolean specChanged =
        !Objects.equals(
            AgentDaemonSetRenderer.specHashOf(live), AgentDaemonSetRenderer.specHashOf(desired));
    boolean ownersChanged = !sameOwners(live, desired);
    boolean labelsChanged = !containsAll(live.getMetadata().getLabels(), labels(desired));
    if (!specChanged && !ownersChanged && !labelsChanged) {
      return Outcome.UNCHANGED;
    }
    daemonSets()
        .edit(
            ds -> {
              adoptMetadata(ds, desired);
              if (specChanged) {
                ds.setSpec(desired.getSpec());
              }
              return ds;
            });
    LOG.infof(
        "updated DaemonSet %s/%s (spec %s, owners %s): policies %s, mounts %s",
        settings.namespace(),
        AgentDaemonSetRenderer.NAME,
        specChanged ? "changed" : "same",
        ownersChanged ? "changed" : "same",
        plan.policyNames(),
        plan.hostMounts());
    return Outcome.UPDATED;
  }

  /**
   * The policies to render from: the cache without {@code deleting} and without policies being
   * deleted, plus owners of the live DaemonSet that the cache misses but the API server still has.
   */
  private List<FimPolicy> livePolicies(
      Collection<FimPolicy> cached, String deleting, DaemonSet live) {
    Map<String, FimPolicy> byName = new LinkedHashMap<>();
    for (FimPolicy p : cached) {
      byName.put(p.getMetadata().getName(), p);
    }
    if (live != null && live.getMetadata().getOwnerReferences() != null) {
      for (OwnerReference ref : live.getMetadata().getOwnerReferences()) {
        if (FimPolicy.KIND.equals(ref.getKind())
            && !ref.getName().equals(deleting)
            && !byName.containsKey(ref.getName())) {
          FimPolicy fetched = client.resources(FimPolicy.class).withName(ref.getName()).get();
          if (fetched != null) {
            LOG.infof("policy %s owns the DaemonSet but is not cached yet: kept", ref.getName());
            byName.put(ref.getName(), fetched);
          }
        }
      }
    }
    List<FimPolicy> out = new ArrayList<>();
    for (FimPolicy p : byName.values()) {
      if (!p.getMetadata().getName().equals(deleting)
          && p.getMetadata().getDeletionTimestamp() == null) {
        out.add(p);
      }
    }
    return out;
  }

  private void ensureServiceAccount(ServiceAccount desired) {
    ServiceAccount live = serviceAccounts().get();
    if (live == null) {
      client.serviceAccounts().inNamespace(settings.namespace()).resource(desired).create();
    } else if (!sameOwners(live, desired)
        || !containsAll(live.getMetadata().getLabels(), labels(desired))) {
      serviceAccounts()
          .edit(
              sa -> {
                adoptMetadata(sa, desired);
                return sa;
              });
    }
  }

  /** Our labels, our annotations and exactly our FimPolicy owners; others' entries are kept. */
  private static void adoptMetadata(HasMetadata live, HasMetadata desired) {
    Map<String, String> labels = new LinkedHashMap<>(orEmpty(live.getMetadata().getLabels()));
    labels.putAll(labels(desired));
    live.getMetadata().setLabels(labels);
    Map<String, String> annotations =
        new LinkedHashMap<>(orEmpty(live.getMetadata().getAnnotations()));
    annotations.putAll(orEmpty(desired.getMetadata().getAnnotations()));
    live.getMetadata().setAnnotations(annotations);
    List<OwnerReference> owners = new ArrayList<>();
    for (OwnerReference ref : orEmptyList(live.getMetadata().getOwnerReferences())) {
      if (!FimPolicy.KIND.equals(ref.getKind())) {
        owners.add(ref);
      }
    }
    owners.addAll(desired.getMetadata().getOwnerReferences());
    live.getMetadata().setOwnerReferences(owners);
  }

  private static boolean sameOwners(HasMetadata live, HasMetadata desired) {
    return policyOwnerUids(live).equals(policyOwnerUids(desired));
  }

  private static Map<String, String> policyOwnerUids(HasMetadata o) {
    return orEmptyList(o.getMetadata().getOwnerReferences()).stream()
        .filter(r -> FimPolicy.KIND.equals(r.getKind()))
        .collect(Collectors.toMap(OwnerReference::getName, OwnerReference::getUid, (a, b) -> a));
  }

  private static boolean containsAll(Map<String, String> live, Map<String, String> wanted) {
    return orEmpty(live).entrySet().containsAll(wanted.entrySet());
  }

  private static Map<String, String> labels(HasMetadata o) {
    return orEmpty(o.getMetadata().getLabels());
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> m) {
    return m == null ? new HashMap<>() : m;
  }

  private static <T> List<T> orEmptyList(List<T> l) {
    return l == null ? List.of() : l;
  }

  private io.fabric8.kubernetes.client.dsl.Resource<DaemonSet> daemonSets() {
    return client
        .apps()
        .daemonSets()
        .inNamespace(settings.namespace())
        .withName(AgentDaemonSetRenderer.NAME);
  }

  private io.fabric8.kubernetes.client.dsl.Resource<ServiceAccount> serviceAccounts() {
    return client
        .serviceAccounts()
        .inNamespace(settings.namespace())
        .withName(AgentDaemonSetRenderer.NAME);
  }
}
