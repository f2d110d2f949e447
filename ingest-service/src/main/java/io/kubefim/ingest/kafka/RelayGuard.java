package io.kubefim.ingest.kafka;

import io.kubefim.ingest.IngestConfig.SinkKind;
import java.util.Optional;
import java.util.Set;

/** Start-up checks of relay mode, pure. */
final class RelayGuard {
  private RelayGuard() {}

  /** Why this relay setting must not start, or empty when it may. */
  static Optional<String> problem(boolean relayEnabled, Set<SinkKind> sinks) {
    if (relayEnabled && sinks.contains(SinkKind.KAFKA)) {
      return Optional.of(
          "kubefim.ingest.kafka.relay.enabled=true with kubefim.ingest.sinks="
              + sinks.stream().map(k -> k.name().toLowerCase()).sorted().toList()
              + " would publish every relayed event back to the topic it reads (a loop):"
              + " remove kafka from kubefim.ingest.sinks on relay replicas (e.g. store,azure)");
    }
    return Optional.empty();
  }
}
