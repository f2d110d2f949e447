package io.kubefim.agent.attribution;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container and pod a process runs in, read from its {@code /proc/PID/cgroup}: how the kubelet
 * and the container runtimes name cgroups, for containerd, CRI-O, Docker and podman, cgroup v1 and
 * v2, the systemd and the cgroupfs drivers. Pure: a function of the file's text.
 *
 * <p>The pod is the segment {@code pod<uid>} (cgroupfs: {@code /kubepods/burstable/pod<uid>}) or
 * {@code kubepods[-<qos>]-pod<uid with _>.slice} (systemd); the container is a 64-hex segment below
 * it, bare (cgroupfs) or as {@code cri-containerd-<id>.scope}, {@code crio-<id>.scope}, {@code
 * docker-<id>.scope}, {@code libpod-<id>} (systemd or podman). A runtime's monitor ({@code
 * crio-conmon-<id>}, {@code libpod-conmon-<id>}) runs beside the container, not in it: it gets the
 * pod but no container. Nested cgroups inside a container ({@code .../<id>.scope/init.scope}) still
 * name their container.
 *
 * @param containerId 64 lowercase hex, or null (a host process, or a runtime monitor)
 * @param podUid the pod uid with dashes, or null (not in a pod)
 */
public record CgroupIdentity(String containerId, String podUid) {
  /** No container, no pod: a host process. */
  public static final CgroupIdentity HOST = new CgroupIdentity(null, null);

  private static final String UID =
      "([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})";
  private static final Pattern POD = Pattern.compile("^(?:[a-z]+-)*pod" + UID + "(?:\\.slice)?$");
  private static final Pattern CONTAINER =
      Pattern.compile(
          "^(?:cri-containerd-|crio-|docker-|libpod-|containerd-)?([0-9a-f]{64})(?:\\.scope)?$");
  private static final Pattern MONITOR =
      Pattern.compile("^(?:crio-conmon-|libpod-conmon-)[0-9a-f]{64}(?:\\.scope)?$");

  /** True for a process outside any container and pod. */
  public boolean isHost() {
    return containerId == null && podUid == null;
  }

  /**
   * Reads the identity from the text of {@code /proc/PID/cgroup} ({@code id:controllers:path}
   * lines). The unified ({@code 0::}) line is preferred when it names a pod or container; cgroup v1
   * lines are tried next, in order. Unknown formats are a host process: never a wrong container.
   */
  public static CgroupIdentity parse(String procCgroup) {
    if (procCgroup == null) {
      return HOST;
    }
    CgroupIdentity best = HOST;
    for (String line : procCgroup.split("\n")) {
      int a = line.indexOf(':');
      int b = a < 0 ? -1 : line.indexOf(':', a + 1);
      if (b < 0) {
        continue;
      }
      CgroupIdentity id = ofPath(line.substring(b + 1).trim());
      if (id.isHost()) {
        continue;
      }
      if (line.startsWith("0::")
          || best.isHost()
          || (best.containerId == null && id.containerId != null)) {
        best = id;
        if (line.startsWith("0::") && id.containerId != null) {
          break;
        }
      }
    }
    return best;
  }

  /** The identity named by one cgroup path. */
  static CgroupIdentity ofPath(String path) {
    String pod = null;
    String container = null;
    for (String seg : path.split("/")) {
      if (seg.isEmpty()) {
        continue;
      }
      Matcher m = POD.matcher(seg);
      if (m.matches()) {
        pod = m.group(1).replace('_', '-').toLowerCase(Locale.ROOT);
        container = null; // a container is below its pod
        continue;
      }
      if (container == null && !MONITOR.matcher(seg).matches()) {
        Matcher c = CONTAINER.matcher(seg);
        if (c.matches()) {
          container = c.group(1);
        }
      }
    }
    return pod == null && container == null ? HOST : new CgroupIdentity(container, pod);
  }
}
