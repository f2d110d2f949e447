package io.kubefim.agent.watch;

/**
 * One thing a realtime backend saw, in host paths.
 *
 * @param kind what happened
 * @param path the entry (for MOVED: the new path)
 * @param from for MOVED: the old path
 * @param directory the entry is a directory
 */
public record FsEvent(Kind kind, String path, String from, boolean directory) {
  /** Event kinds; backends map their native events onto these. */
  public enum Kind {
    /** Content, metadata, creation or deletion of {@code path}. */
    CHANGED,
    /** A directory appeared ({@code mkdir}): its watches are already placed. */
    CREATED_DIR,
    /** A rename inside the watched set, paired by the backend. */
    MOVED,
    /** Renamed away to somewhere not watched. */
    MOVED_OUT,
    /** Renamed in from somewhere not watched (a directory: watches already placed). */
    MOVED_IN,
    /** A watched directory itself was deleted or moved. */
    SELF_GONE,
    /**
     * The backend lost events (inotify queue, WatchService overflow): everything must be rescanned.
     */
    OVERFLOW
  }
}
