package io.kubefim.api.pods;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * Who a pod is, for the node agent's "who did it" columns (issue 12): served by config-service at
 * {@code GET /v1/nodes/{node}/pods/{podUid}} to the agent of that node only, so that agents need no
 * RBAC on pods. Made by {@link PodIdentities#of}.
 *
 * @param formatVersion wire format of this document, {@link #FORMAT_VERSION}
 * @param uid the pod's {@code metadata.uid} (as in the writer's cgroup, with dashes)
 * @param name the pod's name
 * @param namespace the pod's namespace
 * @param containers every container of the pod that has (or had) a container id: init, regular and
 *     ephemeral ({@code kubectl debug}) containers, including the last terminated instance of a
 *     restarted container
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PodIdentity(
    int formatVersion,
    String uid,
    String name,
    String namespace,
    List<ContainerIdentity> containers) {
  public static final int FORMAT_VERSION = 1;

  public PodIdentity {
    containers = containers == null ? List.of() : List.copyOf(containers);
  }

  /** The name of the container whose bare id is {@code containerId}, or empty. */
  public Optional<String> containerName(String containerId) {
    return containers.stream()
        .filter(c -> c.id() != null && c.id().equals(containerId))
        .map(ContainerIdentity::name)
        .findFirst();
  }
}
