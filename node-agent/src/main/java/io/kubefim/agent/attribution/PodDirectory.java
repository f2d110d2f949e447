package io.kubefim.agent.attribution;

/**
 * Names the pods of this node by uid (their name, namespace and containers), for the columns
 * PodName, PodNamespace and ContainerName. Implementations ask config-service, which reads the API
 * server on the agent's behalf: the agent itself has no RBAC on pods.
 */
public interface PodDirectory {
  /**
   * A pod of this node.
   *
   * @param containerNames container id (bare 64 hex) → name
   */
  record Pod(String name, String namespace, java.util.Map<String, String> containerNames) {}

  /** Starts finding {@code podUid} in the background, if not known yet. Never blocks. */
  void prefetch(String podUid);

  /**
   * The pod with {@code podUid}, waiting a little for a lookup in flight; null when unknown (no
   * such pod, config-service unreachable, local mode).
   */
  Pod pod(String podUid);

  /** No pod names (local mode without config-service). */
  PodDirectory NONE =
      new PodDirectory() {
        @Override
        public void prefetch(String podUid) {}

        @Override
        public Pod pod(String podUid) {
          return null;
        }
      };
}
