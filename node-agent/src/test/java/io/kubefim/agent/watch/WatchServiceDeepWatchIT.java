package io.kubefim.agent.watch;

/**
 * The depth bound of realtime watches on the JDK's WatchService: {@link DeepWatchIT}, unchanged.
 */
class WatchServiceDeepWatchIT extends DeepWatchIT {
  @Override
  WatchBackend backend() {
    return new WatchServiceBackend();
  }
}
