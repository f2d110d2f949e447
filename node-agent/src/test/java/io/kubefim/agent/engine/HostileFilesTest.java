package io.kubefim.agent.engine;

import static io.kubefim.agent.Fixture.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.scan.FileObserver;
import io.kubefim.agent.scan.FileState;
import io.kubefim.agent.scan.ReadBudget;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FieldChanged;
import io.kubefim.api.event.FileType;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.policy.HashAlgorithm;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files an intruder arranges to stall or fool a scan, on a real file system: a FIFO swapped in
 * between the lstat and the open, a read that never returns, a content swap while the file could
 * not be read, a same-size tamper of a file over maxFileSize.
 */
class HostileFilesTest {
  @TempDir Path tmp;
  Fixture fx;

  @BeforeEach
  void setUp() throws IOException {
    fx = new Fixture(tmp);
  }

  @AfterEach
  void tearDown() throws IOException {
    fx.close();
  }

  ScanEngine baselined(AgentRule rule) throws IOException {
    ScanEngine e = fx.engine(rule);
    e.fullScan(DetectionSource.Scan);
    assertThat(fx.drain()).extracting(FimEvent::getChangeType).contains(ChangeType.BaselineCreated);
    return e;
  }

  List<FimEvent> rescan(ScanEngine e) throws IOException {
    e.fullScan(DetectionSource.Scan);
    return fx.drain();
  }

  static FimEvent only(List<FimEvent> events) {
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  /** A FIFO renamed over a baselined file after its lstat: the scan ends and says Type. */
  @Test
  void fifoSwappedInBetweenLstatAndOpenIsATypeChangeNotAHang() throws Exception {
    fx.write("/etc/app/conf", "v1");
    fx.write("/etc/app/other", "o1");
    baselined(rule("/etc/app"));
    fx.write("/etc/app/conf", "v2 and longer"); // so that it must be read
    fx.write("/etc/app/other", "o2");
    Path fifo = fx.p("/etc/.swap"); // same file system, outside the rule
    new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor();
    Path conf = fx.p("/etc/app/conf");
    AtomicBoolean swapped = new AtomicBoolean();
    FileObserver racing =
        new FileObserver() {
          @Override
          public FileState stat(Path real) throws IOException {
            FileState st = super.stat(real);
            if (real.equals(conf) && swapped.compareAndSet(false, true)) {
              Files.move(fifo, conf, StandardCopyOption.REPLACE_EXISTING); // after the lstat
            }
            return st;
          }
        };
    ScanEngine e = fx.engine(racing, rule("/etc/app"));
    List<FimEvent> ev = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> rescan(e));
    assertThat(swapped).isTrue();
    assertThat(ev)
        .extracting(FimEvent::getFilePath)
        .containsExactlyInAnyOrder("/etc/app/conf", "/etc/app/other");
    FimEvent c = ev.stream().filter(x -> x.getFileName().equals("conf")).findFirst().orElseThrow();
    assertThat(c.getChangeType()).isEqualTo(ChangeType.Modified);
    assertThat(c.getFieldsChanged()).contains(FieldChanged.Type);
    assertThat(c.getFileType()).isEqualTo(FileType.Other);
    assertThat(c.getErrorMessage()).contains("FIFO");
    // and the next scan sees a FIFO where a FIFO was: nothing
    assertThat(rescan(fx.engine(rule("/etc/app")))).isEmpty();
  }

  /** A read that never returns costs that file an ErrorMessage; the scan finishes. */
  @Test
  void aStalledReadGetsAnErrorAndTheScanGoesOn() throws Exception {
    fx.write("/srv/slow", "s1");
    fx.write("/srv/fast", "f1");
    baselined(rule("/srv"));
    fx.write("/srv/slow", "s2 longer");
    fx.write("/srv/fast", "f2 longer");
    CountDownLatch never = new CountDownLatch(1);
    FileObserver stalling =
        new FileObserver() {
          @Override
          public FileState hash(
              Path real, FileState st, Set<HashAlgorithm> algos, ReadBudget budget)
              throws IOException {
            if (real.getFileName().toString().equals("slow")) {
              try {
                never.await(); // as a read on a hung FUSE or NFS mount
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return super.hash(real, st, algos, budget);
          }
        };
    ScanEngine e = fx.engine(stalling, rule("/srv"));
    e.setReadDeadline(Duration.ofMillis(300));
    try {
      List<FimEvent> ev = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> rescan(e));
      assertThat(ev)
          .extracting(FimEvent::getFilePath)
          .containsExactlyInAnyOrder("/srv/slow", "/srv/fast");
      FimEvent slow = ev.stream().filter(x -> x.getFileName().equals("slow")).findFirst().get();
      assertThat(slow.getErrorMessage()).startsWith("read stalled");
      assertThat(slow.getFieldsChanged()).contains(FieldChanged.Content); // the size changed
      FimEvent fast = ev.stream().filter(x -> x.getFileName().equals("fast")).findFirst().get();
      assertThat(fast.getErrorMessage()).isNull();
      assertThat(fast.getFileSha256()).isNotNull();
    } finally {
      never.countDown();
    }
  }

  /**
   * A same-size, same-mtime content swap while the file could not be read is reported once it can
   * be read again, against the digest it had before.
   */
  @Test
  void contentSwappedWhileUnreadableIsModifiedOnceReadable() throws Exception {
    Path f = fx.write("/etc/app/key", "AAAA");
    fx.write("/etc/app/ok", "1");
    baselined(rule("/etc/app"));
    String before = fx.store.get("/etc/app/key").sha256();
    AtomicBoolean deny = new AtomicBoolean(true);
    // root reads mode 000 files: the observer refuses as an unprivileged reader would be refused
    FileObserver denying =
        new FileObserver() {
          @Override
          public FileState hash(
              Path real, FileState st, Set<HashAlgorithm> algos, ReadBudget budget)
              throws IOException {
            if (deny.get() && real.equals(f)) {
              throw new AccessDeniedException(real.toString());
            }
            return super.hash(real, st, algos, budget);
          }
        };
    ScanEngine e = fx.engine(denying, rule("/etc/app"));
    FileTime mtime = Files.getLastModifiedTime(f);
    Files.setLastModifiedTime(f, FileTime.fromMillis(mtime.toMillis() + 1000)); // forces a read
    FimEvent unreadable = only(rescan(e));
    assertThat(unreadable.getErrorMessage()).startsWith("cannot read");
    assertThat(unreadable.getFileSha256()).isNull();

    Files.writeString(f, "BBBB"); // same size
    Files.setLastModifiedTime(f, mtime);
    assertThat(rescan(e)).as("still unreadable: said once").isEmpty();

    deny.set(false);
    FimEvent swap = only(rescan(e));
    assertThat(swap.getChangeType()).isEqualTo(ChangeType.Modified);
    assertThat(swap.getFieldsChanged()).containsExactly(FieldChanged.Content);
    assertThat(swap.getPreviousFileSha256()).isEqualTo(before);
    assertThat(swap.getFileSha256()).isNotEqualTo(before).isNotNull();
    assertThat(rescan(e)).isEmpty();
  }

  /**
   * Over maxFileSize the content is compared on sampled blocks: a same-size tamper in one, with
   * mtime set back, is Modified (Content), and the event says the file was not fully hashed.
   */
  @Test
  void sameSizeTamperOfAFileOverMaxFileSizeIsModified() throws Exception {
    long max = 1 << 20;
    Path big = fx.p("/opt/bin/kubelet");
    Files.createDirectories(big.getParent());
    byte[] data = new byte[(int) max + 4096];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    Files.write(big, data);
    ScanEngine e = baselined(Fixture.rule("/opt/bin", true, List.of(), List.of(), max));
    assertThat(fx.store.get("/opt/bin/kubelet").sampled()).isNotNull();
    assertThat(rescan(e)).isEmpty();

    FileTime mtime = Files.getLastModifiedTime(big);
    try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "rw")) {
      raf.seek(data.length - 100); // in the last block
      raf.write(new byte[] {1, 2, 3, 4});
    }
    Files.setLastModifiedTime(big, mtime);
    assertThat(Files.size(big)).isEqualTo(data.length);

    FimEvent ev = only(rescan(e));
    assertThat(ev.getChangeType()).isEqualTo(ChangeType.Modified);
    assertThat(ev.getFieldsChanged()).containsExactly(FieldChanged.Content);
    assertThat(ev.getErrorMessage()).contains("maxFileSize").contains("not fully hashed");
    assertThat(ev.getFileSha256()).isNull();
    assertThat(rescan(e)).isEmpty();
  }
}
