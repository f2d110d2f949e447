package io.kubefim.api.compile;

import io.kubefim.api.glob.HostPaths;
import io.kubefim.api.glob.PathGlob;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.FimRule;
import io.kubefim.api.policy.PolicyValidator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Plans the one agent DaemonSet from all FimPolicies (SPEC §3): a pure function, so every reconcile
 * of any policy converges on the same {@link FleetPlan}, whatever order the informer cache lists
 * the policies in.
 *
 * <p>Which policies count: invalid policies ({@link PolicyValidator}) contribute nothing. Paused
 * policies still contribute to affinity, tolerations and mounts: pausing a policy stops its rules
 * through config-service and must not roll the DaemonSet.
 *
 * <p>One plan per OS ({@link NodeOs}): the Linux DaemonSet and the Windows one. Affinity: the OR of
 * the selectors of the policies that target the OS, each restricted to it; see {@link
 * AffinityTerms}. Tolerations: the union; see {@link TolerationUnion}.
 *
 * <p>Host mounts, the rule: for every path of every rule,
 *
 * <ol>
 *   <li>a glob mounts its deepest glob-free ancestor, {@link PathGlob#literalRoot()} ({@code
 *       /etc/*.conf} mounts {@code /etc}). A glob whose literal root is {@code /} ({@code /*},
 *       {@code /**}{@code /*.conf}) mounts the host root {@code /}: nothing narrower covers it.
 *   <li>a literal path mounts its parent directory ({@code /etc/crontab} mounts {@code /etc};
 *       {@code /usr/local/bin} mounts {@code /usr/local}). The planner cannot know whether a
 *       literal path is a file or a directory, and a file mount binds one inode, so an editor's
 *       write-temp-then-rename-over would be invisible in the container. Mounting the parent costs
 *       nothing for a directory and is required for a file.
 *   <li>except that a top-level literal path ({@code /boot}, {@code /opt}) mounts itself: a literal
 *       path never mounts {@code /}. A top-level file ({@code /vmlinuz}) is then a file mount, the
 *       one case where rename-over stays invisible until the next scan. (The validator rejects the
 *       literal path {@code /}.)
 * </ol>
 *
 * Paths are normalized first ({@link HostPaths#normalize}). Then every mount that lies under
 * another (segment-aware, {@link HostPaths#isUnder}: {@code /etc} is not under {@code /e}) is
 * dropped, and the rest is sorted. Every rule path's literal root therefore lies under exactly one
 * mount.
 */
public final class FleetPlanner {
  private FleetPlanner() {}

  /** The plan of the Linux DaemonSet for all {@code policies} in the cluster. */
  public static FleetPlan plan(Collection<FimPolicy> policies) {
    return plan(policies, NodeOs.LINUX);
  }

  /**
   * The plan of the DaemonSet for nodes of {@code os}: the policies that target it ({@link
   * NodeOs#targetedBy}), each selector restricted to that OS. Windows agents run as HostProcess
   * containers, which see the host's volumes as they are: their plan mounts nothing.
   */
  public static FleetPlan plan(Collection<FimPolicy> policies, NodeOs os) {
    TreeSet<String> names = new TreeSet<>();
    AffinityTerms affinity = new AffinityTerms(os);
    TolerationUnion tolerations = new TolerationUnion();
    List<String> paths = new ArrayList<>();
    for (FimPolicy policy : policies) {
      if (!PolicyValidator.isValid(policy) || !NodeOs.targetedBy(policy.getSpec()).contains(os)) {
        continue;
      }
      names.add(policy.getMetadata().getName());
      affinity.add(policy.getSpec().getNodeSelector());
      tolerations.addAll(policy.getSpec().getTolerations());
      for (FimRule rule : policy.getSpec().getRules()) {
        if (os == NodeOs.LINUX && NodeOs.ofRule(rule) == NodeOs.LINUX) {
          paths.addAll(rule.getPaths());
        }
      }
    }
    return new FleetPlan(
        List.copyOf(names), affinity.toAffinity(), tolerations.toList(), hostMounts(paths));
  }

  /**
   * The minimal sorted set of host directories that covers {@code rulePaths}, by the rule in the
   * class comment.
   *
   * @param rulePaths valid rule paths (see {@link PolicyValidator#pathProblem})
   */
  public static List<String> hostMounts(Collection<String> rulePaths) {
    TreeSet<String> candidates = new TreeSet<>();
    for (String path : rulePaths) {
      candidates.add(mountFor(path));
    }
    List<String> mounts = new ArrayList<>();
    for (String candidate : candidates) {
      boolean nested =
          candidates.stream()
              .anyMatch(other -> !other.equals(candidate) && HostPaths.isUnder(candidate, other));
      if (!nested) {
        mounts.add(candidate);
      }
    }
    return List.copyOf(mounts);
  }

  /** The directory one rule path needs mounted, before nested mounts are dropped. */
  static String mountFor(String path) {
    PathGlob glob = PathGlob.compile(HostPaths.normalize(path));
    String root = glob.literalRoot();
    if (!glob.isLiteral()) {
      return root;
    }
    String parent = HostPaths.parent(root);
    return parent.equals("/") ? root : parent;
  }
}
