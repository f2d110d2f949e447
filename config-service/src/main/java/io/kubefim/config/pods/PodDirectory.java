package io.kubefim.config.pods;

import io.kubefim.api.pods.PodIdentity;

/**
 * Answers "which pod is uid U on node N" for {@code GET /v1/nodes/{node}/pods/{podUid}}: the
 * agents' source of pod and container names (issue 12), so that agents need no RBAC on pods.
 */
public interface PodDirectory {
  /**
   * The pod with {@code podUid} bound to {@code node}. May block (a list of the node's pods).
   *
   * @param podUid a pod uid, lower case with dashes
   * @param containerId the bare id of the container the caller wants named, or null: a known pod
   *     that lacks it (an ephemeral container started after the last list) counts as a miss
   */
  Lookup find(String node, String podUid, String containerId);

  /**
   * A directory that knows no pod, for local mode (no Kubernetes): every lookup is {@code reason}.
   */
  static PodDirectory none(String reason) {
    return (node, podUid, containerId) -> Lookup.notFound(reason);
  }

  /**
   * A lookup's answer.
   *
   * @param outcome what became of it
   * @param pod the pod, when found
   * @param reason why not, in words, otherwise
   */
  record Lookup(Outcome outcome, PodIdentity pod, String reason) {
    /** What became of a lookup; the lower-case name is the metrics tag. */
    public enum Outcome {
      FOUND,
      /** The node has no such pod (after a look at most {@code min-relist-interval} old). */
      NOT_FOUND,
      /** The API server could not be asked; the caller may retry. */
      UNAVAILABLE
    }

    static Lookup found(PodIdentity pod) {
      return new Lookup(Outcome.FOUND, pod, null);
    }

    static Lookup notFound(String reason) {
      return new Lookup(Outcome.NOT_FOUND, null, reason);
    }

    static Lookup unavailable(String reason) {
      return new Lookup(Outcome.UNAVAILABLE, null, reason);
    }
  }
}
