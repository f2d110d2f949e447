package io.kubefim.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubefim.api.compile.FleetPlan;
import io.kubefim.api.compile.FleetPlanner;
import io.kubefim.api.compile.NodeOs;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.FimPolicySpec;
import io.kubefim.api.policy.FimRule;
import io.kubefim.api.policy.PolicyValidator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Converges the live agent DaemonSets, Linux ({@value AgentDaemonSetRenderer#NAME}) and Windows
 * ({@value WindowsAgentDaemonSetRenderer#NAME}), and their shared ServiceAccount on what all live
 * FimPolicies ask for (the I/O shell around {@link FleetPlanner} and the two renderers). Each
 * DaemonSet exists while its OS's plan is not empty and is created, updated and deleted on its own;
 * the ServiceAccount exists while either does and is owned by the policies of both plans.
 *
 * <p>Threading: {@link #converge} is synchronized. Reconciles of different policies run in
 * parallel; each renders from the whole policy cache, so serializing read-render-write makes the
 * last writer the one that saw the newest cache, and the DaemonSets end on the newest state.
 *
 * <p>Never shrinks from a stale cache (java-operator-sdk issue 2869): a policy that owns a live
 * DaemonSet but is missing from the cache is fetched from the API server and kept unless it is gone
 * or being deleted.
 *
 * <p>Fail-open on invalid policies: a DaemonSet whose plan is empty is left as it is while some
 * live, invalid policy may have run on its OS ({@link #mayRunOn}), so a bad edit of the only policy
 * for an OS does not take the agents off those nodes; it goes once no such policy is left.
 */
public class AgentDaemonSetApplier {
  private static final Logger LOG = Logger.getLogger(AgentDaemonSetApplier.class);

  /** What {@link #converge} did to one DaemonSet. */
  public enum Outcome {
    CREATED,
    UPDATED,
    UNCHANGED,
    DELETED,
    /** No valid policy targets its OS but an invalid one may: the DaemonSet is left as it is. */
    LEFT_ALONE
  }

  /** What {@link #converge} did to each DaemonSet. */
  public record Result(Outcome linux, Outcome windows) {}

  /** One agent DaemonSet: the OS of its nodes, its name and its renderer. */
  private record Agent(NodeOs os, String name, Renderer renderer) {}

  /** {@link AgentDaemonSetRenderer#desired} or {@link WindowsAgentDaemonSetRenderer#desired}. */
  @FunctionalInterface
  private interface Renderer {
    DaemonSet desired(FleetPlan plan, AgentSettings settings, Collection<FimPolicy> owners);
  }

  private static final List<Agent> AGENTS =
      List.of(
          new Agent(NodeOs.LINUX, AgentDaemonSetRenderer.NAME, AgentDaemonSetRenderer::desired),
          new Agent(
              NodeOs.WINDOWS,
              WindowsAgentDaemonSetRenderer.NAME,
              WindowsAgentDaemonSetRenderer::desired));

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
   * Brings both DaemonSets and the ServiceAccount in line with {@code cached} policies.
   *
   * @param cached every FimPolicy the informer holds
   * @param deleting the name of a policy being cleaned up, left out of the rendering; or null
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on an API failure (retryable)
   */
  public synchronized Result converge(Collection<FimPolicy> cached, String deleting) {
    Map<NodeOs, DaemonSet> live = new EnumMap<>(NodeOs.class);
    for (Agent agent : AGENTS) {
      DaemonSet ds = daemonSets(agent.name()).get();
      if (ds != null) {
        live.put(agent.os(), ds);
      }
    }
    List<FimPolicy> policies = livePolicies(cached, deleting, live.values());
    Map<NodeOs, FleetPlan> plans = new EnumMap<>(NodeOs.class);
    Set<String> planned = new TreeSet<>();
    for (Agent agent : AGENTS) {
      FleetPlan plan = FleetPlanner.plan(policies, agent.os());
      plans.put(agent.os(), plan);
      planned.addAll(plan.policyNames());
    }
    if (!planned.isEmpty()) {
      // before any DaemonSet is created: its pods need the ServiceAccount
      ensureServiceAccount(
          AgentDaemonSetRenderer.serviceAccount(settings, owners(policies, planned)));
    }
    Map<NodeOs, Outcome> outcomes = new EnumMap<>(NodeOs.class);
    for (Agent agent : AGENTS) {
      outcomes.put(
          agent.os(), convergeOne(agent, plans.get(agent.os()), policies, live.get(agent.os())));
    }
    if (planned.isEmpty() && !outcomes.containsValue(Outcome.LEFT_ALONE)) {
      serviceAccounts().delete();
    }
    return new Result(outcomes.get(NodeOs.LINUX), outcomes.get(NodeOs.WINDOWS));
  }

  private Outcome convergeOne(
      Agent agent, FleetPlan plan, List<FimPolicy> policies, DaemonSet live) {
    if (plan.isEmpty()) {
      if (policies.stream().anyMatch(p -> !PolicyValidator.isValid(p) && mayRunOn(p, agent.os()))) {
        return Outcome.LEFT_ALONE;
      }
      if (live == null) {
        return Outcome.UNCHANGED;
      }
      daemonSets(agent.name()).delete();
      LOG.infof(
          "deleted DaemonSet %s/%s: no policy targets %s nodes",
          settings.namespace(), agent.name(), agent.os().label());
      return Outcome.DELETED;
    }
    List<FimPolicy> owners = owners(policies, Set.copyOf(plan.policyNames()));
    DaemonSet desired = agent.renderer().desired(plan, settings, owners);
    if (live == null) {
      client.apps().daemonSets().inNamespace(settings.namespace()).resource(desired).create();
      LOG.infof(
          "created DaemonSet %s/%s for policies %s, mounts %s",
          settings.namespace(), agent.name(), plan.policyNames(), plan.hostMounts());
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
    daemonSets(agent.name())
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
        agent.name(),
        specChanged ? "changed" : "same",
        ownersChanged ? "changed" : "same",
        plan.policyNames(),
        plan.hostMounts());
    return Outcome.UPDATED;
  }

  /**
   * Whether an invalid policy may have run agents on nodes of {@code os} before it became invalid:
   * one of its rules is a rule of that OS, or it has no rule and its selector admits the OS. Errs
   * towards true (a policy without a spec, a spec the helpers cannot read): keeping agents running
   * is the fail-open side.
   */
  static boolean mayRunOn(FimPolicy policy, NodeOs os) {
    FimPolicySpec spec = policy.getSpec();
    if (spec == null) {
      return true;
    }
    try {
      List<FimRule> rules =
          spec.getRules() == null
              ? List.of()
              : spec.getRules().stream().filter(Objects::nonNull).toList();
      if (rules.isEmpty()) {
        return NodeOs.admittedBy(spec.getNodeSelector()).contains(os);
      }
      return rules.stream().anyMatch(r -> NodeOs.ofRule(r) == os);
    } catch (RuntimeException e) {
      return true;
    }
  }

  private static List<FimPolicy> owners(List<FimPolicy> policies, Set<String> names) {
    return policies.stream().filter(p -> names.contains(p.getMetadata().getName())).toList();
  }

  /**
   * The policies to render from: the cache without {@code deleting} and without policies being
   * deleted, plus owners of the live DaemonSets that the cache misses but the API server still has.
   */
  private List<FimPolicy> livePolicies(
      Collection<FimPolicy> cached, String deleting, Collection<DaemonSet> live) {
    Map<String, FimPolicy> byName = new LinkedHashMap<>();
    for (FimPolicy p : cached) {
      byName.put(p.getMetadata().getName(), p);
    }
    Set<String> lookedUp = new HashSet<>();
    for (DaemonSet ds : live) {
      for (OwnerReference ref : orEmptyList(ds.getMetadata().getOwnerReferences())) {
        if (FimPolicy.KIND.equals(ref.getKind())
            && !ref.getName().equals(deleting)
            && !byName.containsKey(ref.getName())
            && lookedUp.add(ref.getName())) {
          FimPolicy fetched = client.resources(FimPolicy.class).withName(ref.getName()).get();
          if (fetched != null) {
            LOG.infof(
                "policy %s owns DaemonSet %s but is not cached yet: kept",
                ref.getName(), ds.getMetadata().getName());
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

  private io.fabric8.kubernetes.client.dsl.Resource<DaemonSet> daemonSets(String name) {
    return client.apps().daemonSets().inNamespace(settings.namespace()).withName(name);
  }

  private io.fabric8.kubernetes.client.dsl.Resource<ServiceAccount> serviceAccounts() {
    return client
        .serviceAccounts()
        .inNamespace(settings.namespace())
        .withName(AgentDaemonSetRenderer.NAME);
  }
}
