package io.kubefim.ingest.kafka;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** A receive replica: sinks=kafka only, against the test broker, short delivery timeout. */
public class KafkaSinkProfile implements QuarkusTestProfile {
  /** What the sink is given to get every record acknowledged. */
  static final String DELIVERY_TIMEOUT = "4s";

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "kubefim.ingest.sinks", "kafka",
        "kubefim.ingest.kafka.delivery-timeout", DELIVERY_TIMEOUT,
        "kubefim.ingest.kafka.request-timeout", "2s");
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(KafkaBrokerResource.class));
  }
}
