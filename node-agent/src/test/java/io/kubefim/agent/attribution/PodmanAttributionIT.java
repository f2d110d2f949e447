package io.kubefim.agent.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.fakes.FakeConfigService;
import io.kubefim.agent.remote.TokenFile;
import io.kubefim.api.event.Attribution;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real container (podman, runc, no daemon) whose cgroup parent is named as the kubelet's cgroupfs
 * driver names a pod's, writing to a host directory mounted into it: the change is attributed to
 * that container's id and pod uid, and named from config-service. Needs root and podman (.ci/run
 * installs it); skipped with the reason elsewhere.
 */
class PodmanAttributionIT {
  private static final String POD_UID = "0b7c3f1e-5a2d-4e9f-8c6b-1d2e3f4a5b6c";

  @TempDir Path tmp;

  private static String podman() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, "podman"))) {
        return Path.of(dir, "podman").toString();
      }
    }
    return null;
  }

  @Test
  void aWriterInAContainerWithAKubeletCgroupParentIsAttributedToThatContainerAndPod()
      throws Exception {
    String podman = podman();
    boolean root = "root".equals(System.getProperty("user.name"));
    String why =
        !root
            ? "needs root"
            : podman == null ? "podman is not installed (apt-get install podman runc)" : null;
    if (why != null) {
      System.out.println("PodmanAttributionIT skipped: " + why);
    }
    assumeTrue(why == null, why);

    // no image can be pulled here: a root file system of symlinks with the host's /usr mounted
    Path rootfs = tmp.resolve("rootfs");
    for (String d : List.of("proc", "sys", "dev", "etc", "mnt", "tmp", "usr", "run")) {
      Files.createDirectories(rootfs.resolve(d));
    }
    for (String l : List.of("bin", "lib", "lib64", "sbin")) {
      if (Files.exists(Path.of("/usr", l))) {
        Files.createSymbolicLink(rootfs.resolve(l), Path.of("usr", l));
      }
    }
    Path conf = tmp.resolve("containers.conf");
    Files.writeString(conf, "[containers]\ndefault_ulimits = []\n"); // runc may not raise NOFILE
    Path cidFile = tmp.resolve("cid");
    try (Fixture fx = new Fixture(tmp);
        FakeConfigService config =
            FakeConfigService.start(0, Fixture.config(AttributionHarness.attributed("/data")))) {
      fx.write("/data/index.html", "v1\n");
      fx.write("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
      PodDirectory pods = new ConfigServicePods(config.url(), "node-a", TokenFile.none());
      try (AttributionHarness h =
          new AttributionHarness(fx, pods, AttributionHarness.attributed("/data"))) {
        List<String> cmd =
            new ArrayList<>(
                List.of(
                    podman,
                    "--runtime",
                    "/usr/sbin/runc",
                    "--cgroup-manager=cgroupfs",
                    "run",
                    "--rm",
                    "-i",
                    "--network=host",
                    "--cidfile",
                    cidFile.toString(),
                    "--cgroup-parent=/kubepods/besteffort/pod" + POD_UID,
                    "-v",
                    "/usr:/usr:ro",
                    "-v",
                    fx.p("/data") + ":/mnt",
                    "--rootfs",
                    rootfs.toString(),
                    "/bin/sh",
                    "-c",
                    "read go; echo hacked >> /mnt/index.html; read done"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("CONTAINERS_CONF", conf.toString());
        pb.redirectOutput(tmp.resolve("podman.log").toFile());
        Process c = pb.start();
        try (OutputStream in = c.getOutputStream()) {
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> Files.exists(cidFile) && Files.size(cidFile) >= 64);
          String id = Files.readString(cidFile).trim();
          config.pods.put(
              POD_UID,
              "{\"formatVersion\":1,\"uid\":\""
                  + POD_UID
                  + "\",\"name\":\"shop-web-0\",\"namespace\":\"shop\",\"containers\":[{\"id\":\""
                  + id
                  + "\",\"name\":\"web\"}]}");
          in.write("go\n".getBytes(StandardCharsets.UTF_8));
          in.flush();
          FimEvent e = h.awaitFileEvent(ChangeType.Modified, "/data/index.html", 1);
          Attribution a = e.getAttribution();

          assertThat(a.getContainerId()).isEqualTo(id);
          assertThat(a.getPodUid()).isEqualTo(POD_UID);
          assertThat(a.getPodName()).isEqualTo("shop-web-0");
          assertThat(a.getPodNamespace()).isEqualTo("shop");
          assertThat(a.getContainerName()).isEqualTo("web");
          assertThat(a.getProcessName()).isIn("sh", "dash"); // the shell itself does the echo
          assertThat(a.getProcessCommandLine())
              .isEqualTo("/bin/sh -c read go; echo hacked >> /mnt/index.html; read done");
          in.write("done\n".getBytes(StandardCharsets.UTF_8));
          in.flush();
        } finally {
          if (!c.waitFor(30, TimeUnit.SECONDS)) {
            c.destroyForcibly();
          }
        }
      }
    }
  }
}
