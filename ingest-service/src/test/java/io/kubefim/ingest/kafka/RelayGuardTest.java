package io.kubefim.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.ingest.IngestConfig.SinkKind;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelayGuardTest {
  @Test
  void aRelayPublishingToKafkaIsRefusedNamingTheSettings() {
    assertThat(RelayGuard.problem(true, Set.of(SinkKind.STORE, SinkKind.KAFKA)))
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .contains("kubefim.ingest.kafka.relay.enabled=true")
                    .contains("kubefim.ingest.sinks=[kafka, store]")
                    .contains("loop"));
  }

  @Test
  void relaysToOtherSinksAndKafkaSinksWithoutRelayMayStart() {
    assertThat(RelayGuard.problem(true, Set.of(SinkKind.STORE, SinkKind.AZURE))).isEmpty();
    assertThat(RelayGuard.problem(false, Set.of(SinkKind.KAFKA))).isEmpty();
  }
}
