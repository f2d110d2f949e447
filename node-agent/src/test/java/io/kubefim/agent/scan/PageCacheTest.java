package io.kubefim.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubefim.api.policy.HashAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, on a real file system: hashing a file that was not in the page cache leaves none of it
 * there; a file the node had cached stays cached. Needs cachestat(2) (Linux 6.5) and a disk file
 * system (tmpfs pages cannot be dropped); skips with the reason otherwise.
 */
class PageCacheTest {
  private static final int SIZE = 8 << 20; // 2,048 pages
  @TempDir Path tmp;
  final FileObserver observer = new FileObserver();

  private Path file(String name) throws IOException {
    byte[] b = new byte[SIZE];
    new Random(7).nextBytes(b);
    Path p = tmp.resolve(name);
    Files.write(p, b);
    return p;
  }

  private static long cached(Path p) throws IOException {
    try (RegularFile f = RegularFile.open(p)) {
      return f.cachedPages();
    }
  }

  /** Writes back and drops the file's pages, as the kernel would after a while (GNU dd). */
  private static void makeCold(Path p) throws Exception {
    Process pr =
        new ProcessBuilder(
                "sh",
                "-c",
                "sync \"$0\" && dd if=\"$0\" iflag=nocache count=0 status=none",
                p.toString())
            .inheritIO()
            .start();
    assertThat(pr.waitFor()).isZero();
  }

  private String hash(Path p) throws IOException {
    FileState st = observer.stat(p);
    return observer.hash(p, st, EnumSet.of(HashAlgorithm.SHA256)).sha256();
  }

  private static String sha256(Path p) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  @Test
  void aColdFileHashedLeavesNothingInThePageCacheAndAWarmOneStaysWarm() throws Exception {
    Path cold = file("cold.bin");
    String coldDigest = sha256(cold);
    makeCold(cold);
    long before = cached(cold);
    assumeTrue(before >= 0, "cachestat(2) is not available on this kernel (Linux 6.5+)");
    assumeTrue(
        before == 0,
        "the file system keeps the pages of " + cold + " (" + before + " cached; tmpfs?)");
    Path warm = file("warm.bin");
    String warmDigest = sha256(warm); // read through the cache: the node's working set
    long warmBefore = cached(warm);
    assertThat(warmBefore).isEqualTo(SIZE / 4096);

    assertThat(hash(cold)).isEqualTo(coldDigest);
    assertThat(cached(cold)).as("pages of the cold file left after hashing it").isZero();

    assertThat(hash(warm)).isEqualTo(warmDigest);
    assertThat(cached(warm)).as("pages of the warm file after hashing it").isEqualTo(warmBefore);
  }
}
