package io.kubefim.ingest.kafka;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** A relay replica: consumes the test topic into the store (H2 in memory) and a flaky sink. */
public class KafkaRelayProfile implements QuarkusTestProfile {
  static final String GROUP = "kubefim-relay-test";

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "kubefim.ingest.sinks", "store",
        "kubefim.ingest.kafka.relay.enabled", "true",
        "kubefim.ingest.kafka.relay.group", GROUP,
        "kubefim.ingest.kafka.relay.retry-initial-backoff", "100ms",
        "kubefim.ingest.kafka.relay.retry-max-backoff", "500ms",
        "kubefim.ingest.kafka.request-timeout", "3s",
        "kubefim.test.flaky-sink", "true");
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(KafkaBrokerResource.class));
  }
}
