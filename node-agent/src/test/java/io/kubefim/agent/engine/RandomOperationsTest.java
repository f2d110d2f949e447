package io.kubefim.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.agent.Fixture;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A seeded random sequence of file operations with scans in between: folding the reported events
 * onto the baseline must give exactly the real tree (path, type, content digest, mode). A failing
 * seed reproduces the run.
 */
class RandomOperationsTest {
  @TempDir Path tmp;

  static LongStream seeds() {
    return LongStream.range(1, 26);
  }

  record Seen(String type, String sha, String mode) {}

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void eventsAgreeWithTheTree(long seed) throws Exception {
    Random rnd = new Random(seed);
    try (Fixture fx = new Fixture(tmp)) {
      Path root = Files.createDirectories(fx.p("/r"));
      Files.writeString(root.resolve("a"), "seed");
      ScanEngine e = fx.engine(Fixture.rule("/r"));
      e.fullScan(DetectionSource.Scan);
      fx.drain();
      Map<String, Seen> model = real(fx, root);
      String[] names = {"a", "b", "c", "d", "x/a", "x/b", "x/y/c", "y/a"};
      for (int step = 0; step < 40; step++) {
        Path p = root.resolve(names[rnd.nextInt(names.length)]);
        switch (rnd.nextInt(6)) {
          case 0, 1 -> {
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
              Files.createDirectories(p.getParent());
              Files.writeString(p, "v" + rnd.nextInt(4));
            }
          }
          case 2 -> delete(p);
          case 3 -> {
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
              Files.setPosixFilePermissions(
                  p,
                  rnd.nextBoolean()
                      ? PosixFilePermissions.fromString("rw-------")
                      : PosixFilePermissions.fromString("rw-r--r--"));
            }
          }
          case 4 -> {
            Path q = root.resolve(names[rnd.nextInt(names.length)]);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(q)
                && !p.equals(q)) {
              Files.createDirectories(q.getParent());
              Files.move(p, q, StandardCopyOption.REPLACE_EXISTING);
            }
          }
          default -> {
            e.fullScan(DetectionSource.Scan);
            fold(model, fx.drain());
          }
        }
      }
      e.fullScan(DetectionSource.Scan);
      fold(model, fx.drain());
      assertThat(model).as("seed " + seed).isEqualTo(real(fx, root));
    }
  }

  static void delete(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted((x, y) -> y.compareTo(x)).toList()) {
        Files.delete(q);
      }
    }
  }

  static void fold(Map<String, Seen> model, List<FimEvent> events) {
    for (FimEvent ev : events) {
      if (ev.getChangeType() == ChangeType.Deleted) {
        assertThat(model).containsKey(ev.getFilePath());
        model.remove(ev.getFilePath());
      } else if (ev.getChangeType().isFileChange()) {
        if (ev.getChangeType() == ChangeType.Created) {
          assertThat(model).doesNotContainKey(ev.getFilePath());
        }
        if (ev.getChangeType() == ChangeType.Renamed) {
          model.remove(ev.getOriginalFilePath());
        }
        model.put(
            ev.getFilePath(),
            new Seen(ev.getFileType().name(), ev.getFileSha256(), ev.getFileMode()));
      }
    }
  }

  static Map<String, Seen> real(Fixture fx, Path root) throws Exception {
    Map<String, Seen> out = new TreeMap<>();
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.forEach(all::add);
    }
    for (Path p : all) {
      String host = "/" + fx.hostRoot.relativize(p);
      boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
      int mode = 0;
      for (PosixFilePermission x : perms) {
        mode |= 1 << (8 - x.ordinal());
      }
      String sha =
          dir
              ? null
              : HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
      out.put(host, new Seen(dir ? "Directory" : "File", sha, String.format("%04o", mode)));
    }
    return out;
  }
}
