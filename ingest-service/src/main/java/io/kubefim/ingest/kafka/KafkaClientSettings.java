package io.kubefim.ingest.kafka;

import io.kubefim.ingest.IngestConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.HashMap;
import java.util.Map;

/**
 * Kafka client properties of both channels from {@code kubefim.ingest.kafka.*}, handed to the
 * SmallRye Kafka connector by name ({@code kafka-configuration=} {@value #PRODUCER} or {@value
 * #CONSUMER}; properties set on a channel win). The map holds {@code sasl.jaas.config}: it is never
 * logged by us, and the Kafka client prints it as {@code [hidden]}.
 */
@ApplicationScoped
public class KafkaClientSettings {
  /** The CDI identifier the outgoing channel names. */
  public static final String PRODUCER = "kubefim-kafka-producer";

  /** The CDI identifier the relay's incoming channel names. */
  public static final String CONSUMER = "kubefim-kafka-consumer";

  @Produces
  @Identifier(PRODUCER)
  Map<String, Object> producerProperties(IngestConfig config) {
    return producer(config.kafka());
  }

  @Produces
  @Identifier(CONSUMER)
  Map<String, Object> consumerProperties(IngestConfig config) {
    return consumer(config.kafka());
  }

  /** Consumer properties, pure. */
  static Map<String, Object> consumer(IngestConfig.Kafka kafka) {
    Map<String, Object> p = common(kafka);
    p.put("group.id", kafka.relay().group());
    p.put("max.poll.records", kafka.relay().maxBatchEvents());
    return p;
  }

  /** Producer properties, pure. */
  static Map<String, Object> producer(IngestConfig.Kafka kafka) {
    Map<String, Object> p = common(kafka);
    long request = kafka.requestTimeout().toMillis();
    long delivery = Math.max(kafka.deliveryTimeout().toMillis(), request);
    // delivery.timeout.ms >= linger.ms + request.timeout.ms (the client checks it).
    p.put("delivery.timeout.ms", (int) delivery);
    // send() waits for metadata (an unreachable broker) at most this long, too.
    p.put("max.block.ms", delivery);
    p.put("linger.ms", 0);
    p.put("acks", "all");
    p.put("enable.idempotence", true);
    p.put("max.request.size", kafka.maxRequestSize());
    p.put("metadata.max.idle.ms", 180_000);
    return p;
  }

  private static Map<String, Object> common(IngestConfig.Kafka kafka) {
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("security.protocol", kafka.securityProtocol());
    kafka.saslMechanism().ifPresent(v -> p.put("sasl.mechanism", v));
    kafka.saslJaasConfig().ifPresent(v -> p.put("sasl.jaas.config", v));
    p.put("request.timeout.ms", (int) kafka.requestTimeout().toMillis());
    // Event Hubs closes connections idle for 240 s: close them first, on our side.
    p.put("connections.max.idle.ms", 180_000);
    return p;
  }
}
