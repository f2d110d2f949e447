package io.kubefim.api.pods;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps a Fabric8 {@link Pod} to its {@link PodIdentity}: a pure function, no I/O. */
public final class PodIdentities {
  private PodIdentities() {}

  /**
   * The pod's identity. Containers come from {@code status.initContainerStatuses}, {@code
   * containerStatuses} and {@code ephemeralContainerStatuses}, in that order; each with its current
   * container id and, when it differs, the id of its last terminated instance ({@code
   * lastState.terminated.containerID}), so that a write made just before a restart is still
   * attributed. Containers without an id (not started yet) are left out: no process of theirs can
   * have written anything. Each id appears once.
   */
  public static PodIdentity of(Pod pod) {
    ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
    PodStatus status = pod.getStatus();
    Map<String, ContainerIdentity> byId = new LinkedHashMap<>();
    if (status != null) {
      List<ContainerStatus> all = new ArrayList<>();
      addAll(all, status.getInitContainerStatuses());
      addAll(all, status.getContainerStatuses());
      addAll(all, status.getEphemeralContainerStatuses());
      for (ContainerStatus s : all) {
        add(byId, s.getContainerID(), s.getName());
        ContainerState last = s.getLastState();
        if (last != null && last.getTerminated() != null) {
          add(byId, last.getTerminated().getContainerID(), s.getName());
        }
      }
    }
    return new PodIdentity(
        PodIdentity.FORMAT_VERSION,
        meta.getUid(),
        meta.getName(),
        meta.getNamespace(),
        List.copyOf(byId.values()));
  }

  /**
   * The bare container id of a {@code status.containerID}: whatever follows the runtime's {@code
   * <scheme>://} prefix ({@code containerd://}, {@code cri-o://}, {@code docker://}, ...); the text
   * itself when it has no prefix; null for null or blank.
   */
  public static String bareContainerId(String containerId) {
    if (containerId == null || containerId.isBlank()) {
      return null;
    }
    String s = containerId.trim();
    int i = s.indexOf("://");
    String bare = i < 0 ? s : s.substring(i + 3);
    return bare.isEmpty() ? null : bare;
  }

  private static void addAll(List<ContainerStatus> to, List<ContainerStatus> from) {
    if (from != null) {
      to.addAll(from);
    }
  }

  private static void add(Map<String, ContainerIdentity> byId, String containerId, String name) {
    String id = bareContainerId(containerId);
    if (id != null) {
      byId.putIfAbsent(id, new ContainerIdentity(id, name));
    }
  }
}
