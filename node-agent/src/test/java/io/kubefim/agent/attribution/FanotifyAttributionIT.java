package io.kubefim.agent.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.scan.ProcFiles;
import io.kubefim.api.event.Attribution;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who did it, on real fanotify (a file system mark on the disk that holds the temp dir, so every
 * other write on this machine is an event the agent must filter out) and the host's real {@code
 * /proc}. Needs root (CAP_SYS_ADMIN): skipped with the reason elsewhere.
 */
class FanotifyAttributionIT {
  @TempDir Path tmp;

  private static final long SELF = ProcessHandle.current().pid();

  @BeforeAll
  static void needsRoot() {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root) {
      System.out.println("FanotifyAttributionIT skipped: fanotify needs root (CAP_SYS_ADMIN)");
    }
    assumeTrue(root, "fanotify needs root (CAP_SYS_ADMIN)");
  }

  @Test
  void aWriteByAKnownProgramCarriesItsPidImageCommandLineParentAndUser() throws Exception {
    try (Fixture fx = new Fixture(tmp)) {
      fx.write("/data/app.conf", "a\n");
      try (AttributionHarness h = harness(fx)) {
        Path target = fx.p("/data/app.conf");
        Process tee =
            new ProcessBuilder("/usr/bin/tee", "-a", target.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
          try (OutputStream in = tee.getOutputStream()) {
            in.write("b\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            FimEvent e = awaitEvent(h, ChangeType.Modified, "/data/app.conf");
            Attribution a = e.getAttribution();

            assertThat(a.getProcessId()).isEqualTo(tee.pid());
            assertThat(a.getProcessName()).isEqualTo("tee");
            assertThat(a.getProcessImageFilePath())
                .isEqualTo(Path.of("/usr/bin/tee").toRealPath().toString());
            assertThat(a.getProcessCommandLine()).isEqualTo("/usr/bin/tee -a " + target);
            assertThat(a.getProcessParentId()).isEqualTo(SELF);
            assertThat(a.getProcessParentName()).isEqualTo(comm(SELF));
            assertThat(a.getProcessPosixUserId()).isZero();
            assertThat(a.getProcessAccountName()).isEqualTo("root");
            assertThat(a.getProcessCreationTime())
                .isBetween(
                    tee.info().startInstant().orElseThrow().minusSeconds(2),
                    tee.info().startInstant().orElseThrow().plusSeconds(2));
            assertThat(a.getProcessCount()).isNull();
            assertThat(a.getContainerId()).isNull(); // a host process: no container, no pod
            assertThat(a.getPodUid()).isNull();
            assertThat(e.getErrorMessage()).isNull();
          }
        } finally {
          tee.destroy();
        }
      }
    }
  }

  @Test
  void createChmodRenameRenameOverAndDeleteAreEachAttributedToTheirWriter() throws Exception {
    try (Fixture fx = new Fixture(tmp)) {
      fx.write("/data/keep", "k");
      try (AttributionHarness h = harness(fx)) {
        String java = ProcessHandle.current().info().command().orElseThrow();

        fx.write("/data/new", "n");
        assertSelf(awaitEvent(h, ChangeType.Created, "/data/new"), java);

        Files.setPosixFilePermissions(
            fx.p("/data/keep"), PosixFilePermissions.fromString("rw-------"));
        FimEvent chmod = awaitEvent(h, ChangeType.Modified, "/data/keep");
        assertThat(chmod.getFieldsChanged()).extracting(Enum::name).containsExactly("Permissions");
        assertSelf(chmod, java);

        Files.move(fx.p("/data/new"), fx.p("/data/renamed"));
        FimEvent renamed = awaitEvent(h, ChangeType.Renamed, "/data/renamed");
        assertThat(renamed.getOriginalFilePath()).isEqualTo("/data/new");
        assertSelf(renamed, java);

        // an editor's save: write a temp file, rename it over the target
        Path temp = fx.write("/data/.keep.swp", "edited");
        Files.move(
            temp,
            fx.p("/data/keep"),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
        FimEvent save = awaitEvent(h, ChangeType.Modified, "/data/keep", 2);
        assertThat(save.getFieldsChanged()).extracting(Enum::name).contains("Content");
        assertSelf(save, java);

        Files.delete(fx.p("/data/renamed"));
        assertSelf(awaitEvent(h, ChangeType.Deleted, "/data/renamed"), java);
      }
    }
  }

  @Test
  void aWriterThatExitedBeforeItsEventWasReadKeepsItsPidAndNamesNoProcess() throws Exception {
    try (Fixture fx = new Fixture(tmp)) {
      fx.write("/data/x", "x");
      try (AttributionHarness h = harness(fx)) {
        FanotifySource src = h.attribution.source();
        src.pauseReading(true); // the event waits in the kernel queue while the writer exits
        Process sh =
            new ProcessBuilder("/bin/sh", "-c", "echo short-lived > " + fx.p("/data/x")).start();
        assertThat(sh.waitFor()).isZero(); // exited and reaped
        src.pauseReading(false);

        FimEvent e = awaitEvent(h, ChangeType.Modified, "/data/x");
        Attribution a = e.getAttribution();
        assertThat(a.getProcessId()).isEqualTo(sh.pid());
        assertThat(a.getProcessName()).isNull();
        assertThat(a.getProcessImageFilePath()).isNull();
        assertThat(e.getErrorMessage()).contains("process " + sh.pid()).contains("exited");
      }
    }
  }

  @Test
  void aBurstByTwoWritersCarriesTheLastAndSaysThereWereTwo() throws Exception {
    try (Fixture fx = new Fixture(tmp)) {
      fx.write("/data/shared", "0\n");
      try (AttributionHarness h = harness(fx)) {
        Path f = fx.p("/data/shared");
        Files.writeString(f, "1\n", java.nio.file.StandardOpenOption.APPEND); // this JVM first
        Process tee =
            new ProcessBuilder("/usr/bin/tee", "-a", f.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (OutputStream in = tee.getOutputStream()) {
          in.write("2\n".getBytes(StandardCharsets.UTF_8));
          in.flush();
          Attribution a = awaitEvent(h, ChangeType.Modified, "/data/shared").getAttribution();

          assertThat(a.getProcessId()).isEqualTo(tee.pid());
          assertThat(a.getProcessCount()).isEqualTo(2);
        } finally {
          tee.destroy();
        }
      }
    }
  }

  @Test
  void aQueueOverflowIsACoverageGapAndAttributionResumes() throws Exception {
    try (Fixture fx = new Fixture(tmp)) {
      fx.write("/data/after", "a");
      Path noise = Files.createDirectories(tmp.resolve("noise")); // same disk, outside every rule
      int queue;
      AttributionHarness h;
      // the group's queue length is read at fanotify_init: lower it for that moment (root)
      Path limit = Path.of("/proc/sys/fs/fanotify/max_queued_events");
      long old = ProcFiles.readLong(limit, 16384);
      synchronized (FanotifyAttributionIT.class) {
        Files.writeString(limit, "512\n");
        try {
          h = harness(fx);
          queue = (int) ProcFiles.readLong(limit, old);
        } finally {
          Files.writeString(limit, old + "\n");
        }
      }
      try (h) {
        FanotifySource src = h.attribution.source();
        long[] before = src.counts();
        src.pauseReading(true);
        Process p =
            new ProcessBuilder(
                    "/bin/sh",
                    "-c",
                    "i=0; while [ $i -lt "
                        + (queue + 200)
                        + " ]; do echo x > n$i; i=$((i+1)); done")
                .directory(noise.toFile())
                .start();
        assertThat(p.waitFor()).isZero();
        src.pauseReading(false);

        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(h.events())
                        .anySatisfy(
                            e -> {
                              assertThat(e.getChangeType()).isEqualTo(ChangeType.CoverageGap);
                              assertThat(e.getErrorMessage())
                                  .isEqualTo(AttributionService.OVERFLOW);
                              assertThat(e.getDetails()).contains("still detected");
                            }));
        long[] after = src.counts();
        // the noise was read and filtered out: none of it concerned a rule
        assertThat(after[0] - before[0]).isGreaterThan(queue / 2);
        assertThat(after[1] - before[1]).isLessThan(50);

        Files.writeString(fx.p("/data/after"), "b");
        assertSelf(
            awaitEvent(h, ChangeType.Modified, "/data/after"),
            ProcessHandle.current().info().command().orElseThrow());
      }
    }
  }

  private static AttributionHarness harness(Fixture fx) throws IOException {
    // the host's user names: /proc/1/root/etc/passwd where the agent may read it, else this one
    fx.write("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
    AttributionHarness h =
        new AttributionHarness(fx, PodDirectory.NONE, AttributionHarness.attributed("/data"));
    assertThat(h.attribution.unavailable()).isNull();
    assertThat(h.attribution.source()).isNotNull();
    return h;
  }

  private static void assertSelf(FimEvent e, String java) {
    Attribution a = e.getAttribution();
    assertThat(a.getProcessId()).as("%s %s", e.getChangeType(), e.getFilePath()).isEqualTo(SELF);
    assertThat(a.getProcessImageFilePath()).isEqualTo(java);
    assertThat(a.getProcessName()).isEqualTo(comm(SELF));
    assertThat(e.getErrorMessage()).isNull();
  }

  private static String comm(long pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static FimEvent awaitEvent(AttributionHarness h, ChangeType type, String path) {
    return h.awaitFileEvent(type, path, 1);
  }

  private static FimEvent awaitEvent(AttributionHarness h, ChangeType type, String path, int nth) {
    return h.awaitFileEvent(type, path, nth);
  }
}
