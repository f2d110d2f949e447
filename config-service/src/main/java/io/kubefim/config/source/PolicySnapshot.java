package io.kubefim.config.source;

import io.kubefim.api.policy.FimPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link PolicySource} knows at one moment: the policies, the problems of those it could not
 * read, and the nodes. Immutable.
 *
 * @param revision increases with every change the source sees; equal revisions mean equal content
 * @param policies the policies as read (valid or not: the compiler skips invalid ones)
 * @param problems every problem of the policies as read, each naming its file (or object), line and
 *     field; invalid policies are still in {@code policies} and the compiler skips them
 * @param nodes known nodes and their labels; in local mode empty, and {@link #labelsOf} answers for
 *     any node
 * @param anyNode true in local mode: every node name is accepted, with the labels of a Linux node
 */
public record PolicySnapshot(
    long revision,
    List<FimPolicy> policies,
    List<String> problems,
    Map<String, Map<String, String>> nodes,
    boolean anyNode) {

  public static final PolicySnapshot EMPTY =
      new PolicySnapshot(0, List.of(), List.of(), Map.of(), false);

  public PolicySnapshot {
    policies = List.copyOf(policies);
    problems = List.copyOf(problems);
    nodes = Map.copyOf(nodes);
  }

  /** The labels of a node, or empty when this source does not know the node. */
  public Optional<Map<String, String>> labelsOf(String node) {
    Map<String, String> labels = nodes.get(node);
    if (labels != null) {
      return Optional.of(labels);
    }
    if (anyNode) {
      return Optional.of(Map.of("kubernetes.io/hostname", node, "kubernetes.io/os", "linux"));
    }
    return Optional.empty();
  }
}
