package io.kubefim.agent.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cgroup paths the kubelet and the runtimes write, one row per real-world format. Sources: the
 * kubelet's cgroup naming (pkg/kubelet/cm/cgroup_manager_linux.go: the systemd driver turns the pod
 * uid's '-' into '_' and nests kubepods-&lt;qos&gt;-pod&lt;uid&gt;.slice; cgroupfs nests
 * /kubepods/&lt;qos&gt;/pod&lt;uid&gt;), containerd's CRI plugin (cri-containerd-&lt;id&gt;.scope
 * with systemd, a bare id with cgroupfs), CRI-O (crio-&lt;id&gt;.scope and its monitor
 * crio-conmon-&lt;id&gt;.scope), dockershim (docker-&lt;id&gt;.scope), podman's cgroupfs manager
 * (libpod-&lt;id&gt;, libpod-conmon-&lt;id&gt;), kind's nested kubelet.slice, and cgroup v1 hybrid
 * files as on AKS Ubuntu 18.04 and on these machines.
 */
class CgroupIdentityTest {
  private static final String ID =
      "3f2a9c0b7e1d4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b";
  private static final String UID = "6f1c2b9e-1d2a-4c8e-9b7a-0e5d4c3b2a19";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          containerd systemd v2 burstable | 0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod6f1c2b9e_1d2a_4c8e_9b7a_0e5d4c3b2a19.slice/cri-containerd-ID.scope | ID | UID
          containerd systemd v2 besteffort | 0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod6f1c2b9e_1d2a_4c8e_9b7a_0e5d4c3b2a19.slice/cri-containerd-ID.scope | ID | UID
          containerd systemd v2 guaranteed | 0::/kubepods.slice/kubepods-pod6f1c2b9e_1d2a_4c8e_9b7a_0e5d4c3b2a19.slice/cri-containerd-ID.scope | ID | UID
          containerd cgroupfs v2 | 0::/kubepods/burstable/pod6f1c2b9e-1d2a-4c8e-9b7a-0e5d4c3b2a19/ID | ID | UID
          containerd cgroupfs v2 guaranteed | 0::/kubepods/pod6f1c2b9e-1d2a-4c8e-9b7a-0e5d4c3b2a19/ID | ID | UID
          cri-o systemd | 0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod6f1c2b9e_1d2a_4c8e_9b7a_0e5d4c3b2a19.slice/crio-ID.scope | ID | UID
          cri-o monitor beside the container | 0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod6f1c2b9e_1d2a_4c8e_9b7a_0e5d4c3b2a19.slice/crio-conmon-ID.scope | | UID
          dockershim systemd | 0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod6f1c2b9e_1d2a_4c8e_9b7a_0e5d4c3b2a19.slice/docker-ID.scope | ID | UID
          podman cgroupfs with a kubelet parent | 0::/kubepods/besteffort/pod6f1c2b9e-1d2a-4c8e-9b7a-0e5d4c3b2a19/libpod-ID | ID | UID
          podman monitor | 0::/kubepods/besteffort/pod6f1c2b9e-1d2a-4c8e-9b7a-0e5d4c3b2a19/libpod-conmon-ID | | UID
          kind nested kubelet slice | 0::/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod6f1c2b9e_1d2a_4c8e_9b7a_0e5d4c3b2a19.slice/cri-containerd-ID.scope | ID | UID
          systemd inside a container | 0::/kubepods.slice/kubepods-pod6f1c2b9e_1d2a_4c8e_9b7a_0e5d4c3b2a19.slice/cri-containerd-ID.scope/init.scope | ID | UID
          pause-less pod sandbox cgroup itself | 0::/kubepods.slice/kubepods-pod6f1c2b9e_1d2a_4c8e_9b7a_0e5d4c3b2a19.slice | | UID
          plain docker, not kubernetes | 0::/system.slice/docker-ID.scope | ID |
          plain docker cgroupfs | 0::/docker/ID | ID |
          host: kubelet | 0::/system.slice/kubelet.service | |
          host: ssh session | 0::/user.slice/user-1000.slice/session-3.scope | |
          host: root cgroup (an exited process) | 0::/ | |
          """)
  void readsContainerAndPod(String format, String line, String id, String uid) {
    CgroupIdentity got = CgroupIdentity.parse(line.replace("ID", ID));

    assertThat(got.containerId()).as(format).isEqualTo(id == null ? null : ID);
    assertThat(got.podUid()).as(format).isEqualTo(uid == null ? null : UID);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          v1 hybrid, unified line empty (AKS Ubuntu 18.04) | 12:memory:/kubepods/burstable/pod6f1c2b9e-1d2a-4c8e-9b7a-0e5d4c3b2a19/ID\\n11:cpu,cpuacct:/kubepods/burstable/pod6f1c2b9e-1d2a-4c8e-9b7a-0e5d4c3b2a19/ID\\n1:name=systemd:/kubepods/burstable/pod6f1c2b9e-1d2a-4c8e-9b7a-0e5d4c3b2a19/ID\\n0::/ | ID | UID
          hybrid, container named on the unified line only (this machine) | 13:blkio:/\\n1:name=systemd:/user.slice\\n0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod6f1c2b9e_1d2a_4c8e_9b7a_0e5d4c3b2a19.slice/cri-containerd-ID.scope | ID | UID
          v1 systemd driver | 10:pids:/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod6f1c2b9e_1d2a_4c8e_9b7a_0e5d4c3b2a19.slice/cri-containerd-ID.scope\\n0::/ | ID | UID
          host process on a hybrid host | 12:memory:/system.slice/sshd.service\\n1:name=systemd:/system.slice/sshd.service\\n0::/system.slice/sshd.service | |
          garbage | not a cgroup file | |
          """)
  void readsMultiLineFiles(String format, String text, String id, String uid) {
    CgroupIdentity got = CgroupIdentity.parse(text.replace("\\n", "\n").replace("ID", ID));

    assertThat(got.containerId()).as(format).isEqualTo(id == null ? null : ID);
    assertThat(got.podUid()).as(format).isEqualTo(uid == null ? null : UID);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a 63-hex id is no container | 0::/kubepods/pod6f1c2b9e-1d2a-4c8e-9b7a-0e5d4c3b2a19/3f2a9c0b7e1d4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9
          upper-case hex is no container | 0::/kubepods/pod6f1c2b9e-1d2a-4c8e-9b7a-0e5d4c3b2a19/3F2A9C0B7E1D4A5B6C7D8E9F0A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6E7F8A9B
          """)
  void aSegmentThatIsAlmostAnIdNamesNoContainer(String format, String line) {
    CgroupIdentity got = CgroupIdentity.parse(line);

    assertThat(got.containerId()).as(format).isNull();
    assertThat(got.podUid()).as(format).isEqualTo(UID);
  }
}
