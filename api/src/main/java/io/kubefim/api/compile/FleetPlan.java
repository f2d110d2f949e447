package io.kubefim.api.compile;

import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;

/**
 * What the one agent DaemonSet must look like for the current set of policies (SPEC §3): where it
 * runs, what it tolerates and which host directories it mounts. Made by {@link FleetPlanner}; equal
 * inputs give equal plans, in any order, so the operator can compare plans to decide whether to
 * roll the DaemonSet.
 *
 * @param policyNames the policies that shaped this plan (valid ones, paused included), sorted; when
 *     empty there is nothing to run and the DaemonSet should go
 * @param nodeAffinity required node affinity: the OR of the policies' selectors; null when {@code
 *     policyNames} is empty (an empty term list is not a valid affinity)
 * @param tolerations the union of the policies' tolerations, deduplicated, sorted
 * @param hostMounts absolute host directories to mount read-only under /host, none under another,
 *     sorted
 */
public record FleetPlan(
    List<String> policyNames,
    NodeAffinity nodeAffinity,
    List<Toleration> tolerations,
    List<String> hostMounts) {
  public FleetPlan {
    policyNames = List.copyOf(policyNames);
    tolerations = List.copyOf(tolerations);
    hostMounts = List.copyOf(hostMounts);
  }

  /** True when no valid policy exists: the DaemonSet should not exist. */
  public boolean isEmpty() {
    return policyNames.isEmpty();
  }
}
