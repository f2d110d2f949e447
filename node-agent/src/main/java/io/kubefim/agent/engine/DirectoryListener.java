package io.kubefim.agent.engine;

import java.nio.file.Path;

/**
 * Told about every directory a walk enters, before it is listed: the realtime watcher places its
 * watch there, so a file created while the walk runs is seen by one or the other. Called from the
 * engine thread and from the threads that list directories ahead of a walk: implementations must be
 * thread-safe.
 */
@FunctionalInterface
public interface DirectoryListener {
  DirectoryListener NONE = (p, r) -> {};

  void onDirectory(String hostPath, Path real);
}
