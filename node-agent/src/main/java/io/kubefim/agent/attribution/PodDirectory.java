package io.kubefim.agent.attribution;

import io.kubefim.api.pods.PodIdentity;

/**
 * Names the pods of this node by uid (their name, namespace and containers), for the columns
 * PodName, PodNamespace and ContainerName. Implementations ask config-service, which reads the API
 * server on the agent's behalf: the agent itself has no RBAC on pods.
 */
public interface PodDirectory {
  /**
   * Starts finding the pod in the background, if not known yet (or known without that container).
   * Never blocks.
   *
   * @param containerId the writer's bare container id, or null
   */
  void prefetch(String podUid, String containerId);

  /**
   * The pod with {@code podUid}, waiting a little for a lookup in flight; null when unknown (no
   * such pod, config-service unreachable, local mode).
   */
  PodIdentity pod(String podUid, String containerId);

  /** No pod names (local mode without config-service). */
  PodDirectory NONE =
      new PodDirectory() {
        @Override
        public void prefetch(String podUid, String containerId) {}

        @Override
        public PodIdentity pod(String podUid, String containerId) {
          return null;
        }
      };
}
