package io.kubefim.ingest.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the service at the shared test broker ({@link KafkaBroker}, through its proxy) and the
 * test topic. The broker outlives each Quarkus start (one per run), so this stop() does nothing.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    KafkaBroker broker = KafkaBroker.shared();
    return Map.of(
        "kubefim.ingest.kafka.bootstrap-servers",
        broker.bootstrapServers(),
        "kubefim.ingest.kafka.topic",
        KafkaBroker.TOPIC);
  }

  @Override
  public void stop() {}
}
