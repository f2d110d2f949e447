package io.kubefim.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kubefim.api.event.FileType;
import io.kubefim.api.policy.HashAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the observer opens for reading, on real files, FIFOs and links. */
class FileObserverTest {
  static final Set<HashAlgorithm> SHA = EnumSet.of(HashAlgorithm.SHA256);
  // what an lstat said a moment before something else was put there
  static final FileState WAS_A_FILE =
      FileState.metadata(FileType.File, 4, 0644, 0, 0, 1, 0, 0, null);
  @TempDir Path tmp;
  final FileObserver observer = new FileObserver();

  static void mkfifo(Path p) throws IOException, InterruptedException {
    Process pr = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    assertThat(pr.waitFor()).as("mkfifo " + p).isZero();
  }

  /** A FIFO with no writer: a blocking open would wait forever; it is refused at once. */
  @Test
  void aFifoIsNeverWaitedOn() throws Exception {
    Path fifo = tmp.resolve("fifo");
    mkfifo(fifo);
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          assertThatThrownBy(() -> observer.hash(fifo, WAS_A_FILE, SHA))
              .isInstanceOf(NotRegularFileException.class)
              .hasMessageContaining("FIFO");
          assertThatThrownBy(() -> observer.sample(fifo, WAS_A_FILE))
              .isInstanceOf(NotRegularFileException.class);
        });
  }

  @Test
  void aSymlinkIsNotFollowedAndAGoneFileIsNoSuchFile() throws Exception {
    Path target = Files.writeString(tmp.resolve("target"), "data");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
    assertThatThrownBy(() -> observer.hash(link, WAS_A_FILE, SHA))
        .isInstanceOf(NotRegularFileException.class);
    assertThatThrownBy(() -> observer.hash(tmp.resolve("gone"), WAS_A_FILE, SHA))
        .isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> observer.hash(tmp, WAS_A_FILE, SHA))
        .isInstanceOf(NotRegularFileException.class)
        .hasMessageContaining("directory");
  }

  @Test
  void aRegularFileHashesAsBefore() throws Exception {
    Path f = Files.writeString(tmp.resolve("f"), "abc");
    FileState h = observer.hash(f, observer.stat(f), SHA);
    assertThat(h.sha256())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  /** Samples see the first, last and evenly spaced blocks; the size is part of the digest. */
  @Test
  void sampleChangesWithASampledBlockOnly() throws Exception {
    int block = FileObserver.SAMPLE_BLOCK;
    byte[] data = new byte[40 * block + 123];
    Path f = Files.write(tmp.resolve("big"), data);
    String s0 = observer.sample(f, observer.stat(f)).sampled();
    assertThat(observer.sample(f, observer.stat(f)).sampled()).isEqualTo(s0);
    long span = data.length - block;
    // inside the 9th sample block, then between two sample blocks
    data[(int) (span * 8 / (FileObserver.SAMPLES - 1)) + 10] = 1;
    Files.write(f, data);
    String s1 = observer.sample(f, observer.stat(f)).sampled();
    assertThat(s1).isNotEqualTo(s0);
    int between = (int) (span * 8 / (FileObserver.SAMPLES - 1)) + block + 5;
    assertThat(between).isLessThan((int) (span * 9 / (FileObserver.SAMPLES - 1)));
    data[between] = 1;
    Files.write(f, data);
    assertThat(observer.sample(f, observer.stat(f)).sampled()).isEqualTo(s1);
  }
}
