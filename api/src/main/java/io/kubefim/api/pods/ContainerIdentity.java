package io.kubefim.api.pods;

/**
 * One container of a pod, as the node agent matches it: the id it reads from a writer's cgroup and
 * the name it reports ({@code ContainerName}).
 *
 * @param id the bare container id (64 hex for containerd, CRI-O and Docker): {@code
 *     status.containerID} without its runtime prefix ({@code containerd://}, {@code cri-o://},
 *     {@code docker://})
 * @param name the container's name in the pod spec
 */
public record ContainerIdentity(String id, String name) {}
