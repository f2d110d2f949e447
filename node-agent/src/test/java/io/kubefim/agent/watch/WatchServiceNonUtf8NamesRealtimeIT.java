package io.kubefim.agent.watch;

/**
 * Names that are not valid UTF-8 on the JDK's WatchService, the backend of Windows nodes, run here
 * on Linux: every test of {@link NonUtf8NamesRealtimeIT}, unchanged.
 */
class WatchServiceNonUtf8NamesRealtimeIT extends NonUtf8NamesRealtimeIT {
  @Override
  WatchBackend backend() {
    return new WatchServiceBackend();
  }
}
