package io.kubefim.agent.engine;

import io.kubefim.agent.baseline.BaselineStore;
import io.kubefim.agent.scan.FileObserver;
import io.kubefim.agent.scan.FileState;
import io.kubefim.agent.scan.RawPaths;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * Lists one directory for a walk: the baseline's entries of it, its entries and their metadata, on
 * the engine thread or ahead of the walk on {@link #READ_AHEAD_POOL}.
 *
 * <p>Threading: {@link #setListener} on the engine thread, between scans; {@link #list} from the
 * engine thread or the read-ahead threads.
 */
final class DirectoryLister {
  // the threads that list subdirectories ahead of the walk (daemon threads, shared by every engine,
  // one a core: with one fewer the engine thread waited for them on 2 cores)
  private static final ForkJoinPool READ_AHEAD_POOL =
      new ForkJoinPool(
          Math.max(1, Runtime.getRuntime().availableProcessors()),
          ForkJoinPool.defaultForkJoinWorkerThreadFactory,
          null,
          false);

  private final BaselineStore store;
  private final FileObserver observer;
  private DirectoryListener listener = DirectoryListener.NONE;

  DirectoryLister(BaselineStore store, FileObserver observer) {
    this.store = store;
    this.observer = observer;
  }

  DirectoryListener listener() {
    return listener;
  }

  void setListener(DirectoryListener listener) {
    this.listener = listener;
  }

  /** One entry of a directory listing, with its metadata or why it could not be read. */
  record ListedEntry(Path real, String name, FileState state, IOException error) {}

  /**
   * A directory's entries, {@code failure} when listing stopped early (entries up to there), and
   * the baseline's entries of that directory read just before.
   */
  record Listing(List<ListedEntry> entries, IOException failure, Map<String, FileState> base) {}

  /** Starts {@link #list} of {@code dir} on {@link #READ_AHEAD_POOL}. */
  Future<Listing> listAhead(String dir, Path realDir) {
    return READ_AHEAD_POOL.submit(() -> list(dir, realDir));
  }

  /**
   * Tells the listener about {@code dir} (the realtime watch goes on before the listing), then
   * reads the baseline's entries of {@code dir}, lists it and reads every entry's metadata. Runs on
   * the engine thread or on {@link #READ_AHEAD_POOL}.
   */
  Listing list(String dir, Path realDir) throws IOException {
    listener.onDirectory(dir, realDir);
    Map<String, FileState> base = store.children(dir);
    List<ListedEntry> entries = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(realDir)) {
      for (Path child : ds) {
        String name = RawPaths.name(child); // lossless: names are bytes, not always UTF-8
        try {
          entries.add(new ListedEntry(child, name, observer.stat(child), null));
        } catch (IOException e) {
          entries.add(new ListedEntry(child, name, null, e));
        }
      }
    } catch (IOException e) {
      return new Listing(entries, e, base);
    }
    return new Listing(entries, null, base);
  }
}
