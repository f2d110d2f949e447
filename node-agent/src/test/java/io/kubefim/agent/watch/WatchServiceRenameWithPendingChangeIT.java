package io.kubefim.agent.watch;

/**
 * Renames with a change waiting for its debounce (SPEC §5) on the JDK's WatchService, the backend
 * of Windows nodes, run here on Linux: every test of {@link RenameWithPendingChangeIT}, unchanged.
 */
class WatchServiceRenameWithPendingChangeIT extends RenameWithPendingChangeIT {
  @Override
  WatchBackend backend() {
    return new WatchServiceBackend();
  }
}
