package io.kubefim.agent.engine;

import io.kubefim.agent.scan.FileObserver;
import io.kubefim.agent.scan.FileState;
import io.kubefim.agent.scan.NotRegularFileException;
import io.kubefim.agent.scan.ReadBudget;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills in the digests of a batch of items: those that need no reading (metadata unchanged since
 * they were taken) at once, the rest read (hashed or sampled) on the pool, each under a deadline
 * ({@link DeadlineBatch}). A failed or stalled read costs its item an error, never the batch.
 *
 * <p>Threading: {@link #start} and {@link #setReadDeadline} on the engine thread; the reads run on
 * the lane's pool.
 */
final class BatchHasher {
  // the slowest read rate (bytes/s) a file system may have before a read counts as stalled
  static final long MIN_READ_RATE = 8L << 20;

  private final FileObserver observer;
  // a file's read may take this long plus its size at MIN_READ_RATE before it is given up
  private Duration readDeadline = Duration.ofSeconds(30);

  BatchHasher(FileObserver observer) {
    this.observer = observer;
  }

  /** See {@link ScanEngine#setReadDeadline}. */
  void setReadDeadline(Duration base) {
    this.readDeadline = base;
  }

  /**
   * Fills in digests that need no reading (metadata unchanged since they were taken) and starts
   * reading the rest on {@code lane}'s pool, spending its budget, each read under a deadline; null
   * when nothing needs reading.
   */
  DeadlineBatch<Item> start(List<Item> batch, HashLane lane) {
    List<Item> todo = new ArrayList<>();
    for (Item it : batch) {
      if (!it.needsHash()) {
        continue;
      }
      FileState was = it.before;
      if (it.after.size() > it.sel.maxFileSize()) {
        if (was != null && was.sampleStillHolds(it.after)) {
          it.after = it.after.withSample(was.sampled());
        } else {
          todo.add(it);
        }
      } else if (was != null && was.digestsStillHold(it.after, it.sel.hashes())) {
        it.after = it.after.withHashes(was.sha256(), was.sha1(), was.md5());
      } else {
        todo.add(it);
      }
    }
    if (todo.isEmpty()) {
      return null;
    }
    return new DeadlineBatch<>(
        todo,
        it -> read(it, lane.budget()),
        it -> readDeadline.toNanos() + readBytes(it) * 1_000_000_000L / lane.minReadRate(),
        (it, neverStarted) -> {
          it.after = it.after.withStaleDigestsOf(it.before);
          it.error =
              neverStarted == 0
                  ? "read stalled: no result within its deadline, not hashed"
                  : "not read: too many stalled reads in this scan";
        },
        lane.pool(),
        lane.pool().getParallelism());
  }

  /** Reads (hashes or samples) one file; the returned action records the outcome. */
  private Runnable read(Item it, ReadBudget budget) {
    FileState now = it.after;
    try {
      FileState read =
          now.size() > it.sel.maxFileSize()
              ? observer.sample(it.real, now, budget)
              : observer.hash(it.real, now, it.sel.hashes(), budget);
      return () -> it.after = read;
    } catch (NoSuchFileException e) {
      return () -> {
        it.after = null;
        it.error = "vanished while being hashed";
      };
    } catch (NotRegularFileException e) {
      // something else was put there since the lstat: what it is now is the change
      FileState again;
      try {
        again = observer.stat(it.real);
      } catch (IOException x) {
        again = now.withStaleDigestsOf(it.before);
      }
      FileState seen = again;
      return () -> {
        it.after = seen;
        it.error = "not hashed: " + e.getMessage();
      };
    } catch (IOException | RuntimeException e) {
      // the last known digests stay, marked stale: read again next time, compared with them
      return () -> {
        it.after = now.withStaleDigestsOf(it.before);
        it.error = "cannot read: " + e.getMessage();
      };
    }
  }

  private long readBytes(Item it) {
    long size = it.after.size();
    return size > it.sel.maxFileSize()
        ? (long) FileObserver.SAMPLES * FileObserver.SAMPLE_BLOCK
        : size;
  }
}
