package io.kubefim.agent.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.fakes.FakeConfigService;
import io.kubefim.agent.remote.TokenFile;
import io.kubefim.api.event.Attribution;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer inside a cgroup named exactly as the kubelet (systemd driver) and containerd name a
 * container's: attributed to that container id and pod uid, with the pod's name, namespace and
 * container name from config-service (a fake here, answering as config-service's pod route does).
 * Needs root and a writable cgroup v2 hierarchy; skipped with the reason elsewhere.
 */
class ContainerAttributionIT {
  private static final String POD_UID = "6f1c2b9e-1d2a-4c8e-9b7a-0e5d4c3b2a19";
  private static final String CONTAINER =
      "3f2a9c0b7e1d4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b";

  @TempDir Path tmp;

  /** The cgroup v2 hierarchy: /sys/fs/cgroup (pure v2) or /sys/fs/cgroup/unified (hybrid). */
  private static Path unified() {
    Path v2 = Path.of("/sys/fs/cgroup");
    if (Files.exists(v2.resolve("cgroup.controllers"))) {
      return v2;
    }
    return v2.resolve("unified");
  }

  @Test
  void aWriterInAKubeletNamedCgroupIsAttributedToItsContainerAndPod() throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    Path unified = unified();
    String why =
        !root
            ? "needs root"
            : !Files.isWritable(unified.resolve("cgroup.procs"))
                ? "no writable cgroup v2 hierarchy at " + unified
                : null;
    if (why != null) {
      System.out.println("ContainerAttributionIT skipped: " + why);
    }
    assumeTrue(why == null, why);

    Path slice = unified.resolve("kubepods.slice");
    Path qos = slice.resolve("kubepods-besteffort.slice");
    Path pod = qos.resolve("kubepods-besteffort-pod" + POD_UID.replace('-', '_') + ".slice");
    Path scope = pod.resolve("cri-containerd-" + CONTAINER + ".scope");
    boolean made = !Files.exists(slice);
    Files.createDirectories(scope);
    Process tee = null;
    try (Fixture fx = new Fixture(tmp);
        FakeConfigService config =
            FakeConfigService.start(0, Fixture.config(AttributionHarness.attributed("/data")))) {
      config.pods.put(
          POD_UID,
          "{\"formatVersion\":1,\"uid\":\""
              + POD_UID
              + "\",\"name\":\"web-7d4b9\",\"namespace\":\"shop\",\"containers\":[{\"id\":\""
              + CONTAINER
              + "\",\"name\":\"nginx\"}]}");
      fx.write("/data/index.html", "v1\n");
      fx.write("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
      PodDirectory pods = new ConfigServicePods(config.url(), "node-a", TokenFile.none());
      try (AttributionHarness h =
          new AttributionHarness(fx, pods, AttributionHarness.attributed("/data"))) {
        Path target = fx.p("/data/index.html");
        tee =
            new ProcessBuilder("/usr/bin/tee", "-a", target.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        // move the writer into the container's cgroup, as runc does for an exec'd process
        Files.writeString(scope.resolve("cgroup.procs"), Long.toString(tee.pid()));
        assertThat(Files.readString(Path.of("/proc/" + tee.pid() + "/cgroup")))
            .contains("cri-containerd-" + CONTAINER + ".scope");
        try (OutputStream in = tee.getOutputStream()) {
          in.write("hacked\n".getBytes(StandardCharsets.UTF_8));
          in.flush();
          FimEvent e = h.awaitFileEvent(ChangeType.Modified, "/data/index.html", 1);
          Attribution a = e.getAttribution();

          assertThat(a.getProcessId()).isEqualTo(tee.pid());
          assertThat(a.getProcessName()).isEqualTo("tee");
          assertThat(a.getContainerId()).isEqualTo(CONTAINER);
          assertThat(a.getPodUid()).isEqualTo(POD_UID);
          assertThat(a.getPodName()).isEqualTo("web-7d4b9");
          assertThat(a.getPodNamespace()).isEqualTo("shop");
          assertThat(a.getContainerName()).isEqualTo("nginx");
          assertThat(config.podLookups).contains(POD_UID);
        }
      }
    } finally {
      if (tee != null) {
        try {
          Files.writeString(unified.resolve("cgroup.procs"), Long.toString(tee.pid()));
        } catch (IOException ignored) {
          // exited already
        }
        tee.destroy();
        tee.waitFor();
      }
      for (Path d : new Path[] {scope, pod, qos, slice}) {
        if (d != slice || made) {
          Files.deleteIfExists(d);
        }
      }
    }
  }
}
