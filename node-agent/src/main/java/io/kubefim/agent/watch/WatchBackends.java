package io.kubefim.agent.watch;

import io.kubefim.agent.health.Workers;
import java.util.Locale;

/**
 * Which realtime backend the agent runs ({@code run --watch-backend}): inotify through JNA on
 * Linux, the JDK's WatchService elsewhere (Windows nodes), or either by choice. Pure but for {@link
 * #open}.
 */
public final class WatchBackends {
  /** The values of {@code --watch-backend}. */
  public enum Choice {
    INOTIFY,
    WATCHSERVICE,
    /** inotify on Linux, the WatchService on any other OS. */
    AUTO;

    /** The flag's spelling: {@code inotify}, {@code watchservice}, {@code auto}. */
    public String flag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What the usage message lists. */
  public static final String VALUES = "inotify, watchservice or auto";

  private WatchBackends() {}

  /** The choice spelled {@code value} (as {@link Choice#flag}), or null when there is none. */
  public static Choice parse(String value) {
    for (Choice c : Choice.values()) {
      if (c.flag().equals(value)) {
        return c;
      }
    }
    return null;
  }

  /**
   * The backend {@code choice} means on the OS named {@code osName} ({@code os.name}): AUTO is
   * INOTIFY on Linux, WATCHSERVICE elsewhere; the others are themselves.
   */
  public static Choice resolve(Choice choice, String osName) {
    if (choice != Choice.AUTO) {
      return choice;
    }
    return osName != null && osName.toLowerCase(Locale.ROOT).startsWith("linux")
        ? Choice.INOTIFY
        : Choice.WATCHSERVICE;
  }

  /**
   * Opens the backend {@code choice} means on this OS; its reader thread runs under {@code
   * workers}.
   *
   * @throws RuntimeException or LinkageError when it cannot be had here (no inotify, no JNA): the
   *     caller runs scans only
   */
  public static WatchBackend open(Choice choice, Workers workers) {
    return switch (resolve(choice, System.getProperty("os.name"))) {
      case INOTIFY -> new InotifyBackend(workers);
      case WATCHSERVICE, AUTO -> new WatchServiceBackend(workers);
    };
  }
}
