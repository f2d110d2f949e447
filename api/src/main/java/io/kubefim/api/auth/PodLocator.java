package io.kubefim.api.auth;

import java.util.Optional;

/** Finds the node a pod runs on, for tokens that carry the pod but not the node. */
public interface PodLocator {
  /**
   * @throws TokenReviewer.ReviewUnavailableException when the API server cannot be asked
   */
  Optional<String> nodeOf(String namespace, String podName);
}
