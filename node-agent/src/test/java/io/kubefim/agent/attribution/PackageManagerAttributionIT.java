package io.kubefim.agent.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubefim.agent.Fixture;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 on real fanotify: a package-manager-like process (tee copied to {@code <host
 * root>/usr/bin/dpkg}) writing a file is labelled {@code PackageManager:/usr/bin/dpkg}, and so is a
 * tool a "dpkg" runs (a maintainer script); another process writing the same file is not. Needs
 * root (CAP_SYS_ADMIN).
 */
class PackageManagerAttributionIT {
  @TempDir Path tmp;

  @Test
  void aWriteByDpkgIsExpectedAndTheSameWriteByAnotherProgramIsNot() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "fanotify needs root");
    try (Fixture fx = new Fixture(tmp)) {
      fx.write("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
      fx.write("/data/pkg.conf", "a\n");
      Path dpkg = fx.p("/usr/bin/dpkg");
      Files.createDirectories(dpkg.getParent());
      Files.copy(Path.of("/usr/bin/tee"), dpkg, StandardCopyOption.COPY_ATTRIBUTES);
      try (AttributionHarness h =
          new AttributionHarness(fx, PodDirectory.NONE, AttributionHarness.attributed("/data"))) {
        // the writer stays alive until its event is read, as a dpkg unpacking a package does
        Process d = append(dpkg, fx.p("/data/pkg.conf"), "by dpkg\n");
        FimEvent byDpkg = h.awaitFileEvent(ChangeType.Modified, "/data/pkg.conf", 1);
        finish(d);
        assertThat(byDpkg.getAttribution().getProcessImageFilePath()).isEqualTo(dpkg.toString());
        assertThat(byDpkg.getExpectation().getChangeExpected()).isTrue();
        assertThat(byDpkg.getExpectation().getExpectedReason())
            .isEqualTo("PackageManager:/usr/bin/dpkg");

        // a maintainer script: dpkg (here a shell copied there) runs a tool that writes
        Path dpkgSh = fx.p("/usr/sbin/dpkg");
        Files.createDirectories(dpkgSh.getParent());
        Files.copy(Path.of("/bin/sh"), dpkgSh, StandardCopyOption.COPY_ATTRIBUTES);
        Process child =
            new ProcessBuilder(
                    dpkgSh.toString(),
                    "-c",
                    "/usr/bin/tee -a \"$0\" >/dev/null; exit 0",
                    fx.p("/data/pkg.conf").toString())
                .start();
        child.getOutputStream().write("by postinst\n".getBytes(StandardCharsets.UTF_8));
        child.getOutputStream().flush();
        FimEvent byChild = h.awaitFileEvent(ChangeType.Modified, "/data/pkg.conf", 2);
        finish(child);
        assertThat(byChild.getAttribution().getProcessName()).isEqualTo("tee");
        assertThat(byChild.getExpectation().getExpectedReason())
            .isEqualTo("PackageManager:/usr/sbin/dpkg");

        Process t = append(Path.of("/usr/bin/tee"), fx.p("/data/pkg.conf"), "by tee\n");
        FimEvent byTee = h.awaitFileEvent(ChangeType.Modified, "/data/pkg.conf", 3);
        finish(t);
        assertThat(byTee.getAttribution().getProcessName()).isEqualTo("tee");
        assertThat(byTee.getExpectation().isEmpty()).isTrue();
      }
    }
  }

  /** Starts {@code exe -a target} and writes {@code text} to its stdin, left open. */
  private static Process append(Path exe, Path target, String text) throws Exception {
    Process p =
        new ProcessBuilder(exe.toString(), "-a", target.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    OutputStream in = p.getOutputStream();
    in.write(text.getBytes(StandardCharsets.UTF_8));
    in.flush();
    return p;
  }

  private static void finish(Process p) throws Exception {
    p.getOutputStream().close();
    assertThat(p.waitFor()).isZero();
  }
}
