package io.kubefim.agent.watch;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A realtime file system event source (one implementation per mechanism: {@link InotifyBackend} on
 * Linux, {@link WatchServiceBackend} elsewhere; chosen by {@link WatchBackends}).
 * Directory-granular: a watch on a directory reports its entries and itself.
 *
 * <p>Threading: {@link #watch} and {@link #unwatchBelow} may be called from any thread; events are
 * delivered on the backend's own thread, in order.
 */
public interface WatchBackend extends Closeable {
  /** Starts delivering events. */
  void start(Consumer<FsEvent> sink);

  /**
   * Watches directory {@code realDir}, reported as {@code hostDir}.
   *
   * @return null when placed (or the directory is gone), else why it could not be (a coverage gap)
   */
  String watch(String hostDir, Path realDir);

  /** Drops the watches at and below {@code hostDir} (a directory moved out or deleted). */
  void unwatchBelow(String hostDir);

  /**
   * What {@link FsEvent.Kind#OVERFLOW} means for this backend, for the CoverageGap it causes: a
   * short text and the code in ErrorMessage.
   */
  default Overflow overflow() {
    return Overflow.INOTIFY;
  }

  /** The CoverageGap text and ErrorMessage code of a backend's overflow. */
  record Overflow(String text, String code) {
    public static final Overflow INOTIFY = new Overflow("inotify queue overflow", "IN_Q_OVERFLOW");
  }

  /** Watches placed now. */
  int watchCount();

  @Override
  void close();
}
