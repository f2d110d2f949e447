package io.kubefim.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.agent.RawNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths with names that are not UTF-8, on a real file system, made by the shell. */
class RawPathsTest {
  @TempDir Path tmp;

  /** Makes the names with printf in sh: bytes that no Java string conversion produced. */
  static void shell(Path dir, String script) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("sh", "-c", "cd \"$1\" && " + script, "sh", dir.toString())
            .inheritIO()
            .start();
    assertThat(p.waitFor()).isZero();
  }

  @Test
  void listedNamesRenderLosslesslyAndResolveBackToTheSameFile() throws Exception {
    shell(
        tmp,
        "printf 1 > \"$(printf 'bad\\377')\"; printf 2 > \"$(printf 'bad\\376')\";"
            + " printf 3 > \"$(printf 'caf\\303\\251')\"; printf 4 > 'back\\xff';"
            + " mkdir \"$(printf 'dir\\375')\"; printf 5 > \"$(printf 'dir\\375/in\\377')\"");
    Map<String, Path> listed = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
      for (Path p : ds) {
        listed.put(RawPaths.name(p), p);
      }
    }
    assertThat(listed).containsOnlyKeys("bad\\xff", "bad\\xfe", "café", "back\\x5cxff", "dir\\xfd");
    for (Map.Entry<String, Path> e : listed.entrySet()) {
      Path back = RawPaths.resolve(tmp, e.getKey());
      assertThat(back).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(Files.exists(back, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
    assertThat(Files.readString(RawPaths.resolve(tmp, "bad\\xff"))).isEqualTo("1");
    assertThat(Files.readString(RawPaths.resolve(tmp, "bad\\xfe"))).isEqualTo("2");
    assertThat(Files.readString(RawPaths.resolve(tmp, "back\\x5cxff"))).isEqualTo("4");
    assertThat(Files.readString(RawPaths.resolve(tmp, "dir\\xfd/in\\xff"))).isEqualTo("5");
    assertThat(RawPaths.name(RawPaths.resolve(tmp, "dir\\xfd"))).isEqualTo("dir\\xfd");
    byte[] c = RawPaths.cString(RawPaths.resolve(tmp, "dir\\xfd"));
    String abs = tmp.toAbsolutePath().toString();
    assertThat(new String(c, 0, abs.length(), StandardCharsets.UTF_8)).isEqualTo(abs);
    assertThat(NameCodec.render(c, abs.length(), c.length - abs.length() - 1))
        .isEqualTo("/dir\\xfd");
    assertThat(c[c.length - 1]).isZero();
  }

  @Test
  void symlinkTargetsRenderLosslessly() throws Exception {
    shell(
        tmp,
        "ln -s \"$(printf 'bad\\377')\" rel; ln -s \"$(printf '/etc/bad\\376/')\" abs;"
            + " ln -s 'caf\\xff' lit");
    assertThat(RawPaths.render(Files.readSymbolicLink(tmp.resolve("rel")))).isEqualTo("bad\\xff");
    assertThat(RawPaths.render(Files.readSymbolicLink(tmp.resolve("abs"))))
        .isEqualTo("/etc/bad\\xfe/");
    assertThat(RawPaths.render(Files.readSymbolicLink(tmp.resolve("lit"))))
        .isEqualTo("caf\\x5cxff");
  }

  @Test
  void theTestHelperMakesTheSameBytesAsTheShell() throws Exception {
    RawNames.write(tmp, "bad%FF", "x");
    shell(tmp, "test -f \"$(printf 'bad\\377')\"");
  }
}
