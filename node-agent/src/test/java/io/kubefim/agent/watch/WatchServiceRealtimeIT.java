package io.kubefim.agent.watch;

/**
 * Realtime detection (SPEC §5) on the JDK's WatchService, the backend of Windows nodes, run here on
 * Linux: every test of {@link RealtimeIT}, unchanged.
 */
class WatchServiceRealtimeIT extends RealtimeIT {
  @Override
  WatchBackend backend() {
    return new WatchServiceBackend();
  }
}
