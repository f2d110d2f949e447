package io.kubefim.agent.scan;

/** The observers for tests outside this package. */
public final class Observers {
  private Observers() {}

  /** The portable observer (Windows nodes' way), forced on this platform. */
  public static FileObserver portable() {
    return FileObserver.portable();
  }
}
