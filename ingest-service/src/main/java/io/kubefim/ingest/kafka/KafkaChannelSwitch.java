package io.kubefim.ingest.kafka;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;
import java.util.Arrays;

/**
 * Switches the two Kafka channels on only where they are used, so a service without the kafka sink
 * never opens a Kafka client (no connection attempt, no health check, starts without a broker):
 *
 * <ul>
 *   <li>{@code mp.messaging.outgoing.kubefim-kafka-out.enabled} follows whether {@code
 *       kubefim.ingest.sinks} names {@code kafka};
 *   <li>{@code mp.messaging.incoming.kubefim-kafka-relay.enabled} follows {@code
 *       kubefim.ingest.kafka.relay.enabled}.
 * </ul>
 *
 * Quarkus' own names of both ({@code quarkus.messaging.*}) answer the same. A value set for those
 * properties themselves wins (not the mapping's default {@code true}). Registered through {@code
 * META-INF/services/io.smallrye.config.ConfigSourceInterceptor}; runs before the profile and
 * expression interceptors so that what it reads is resolved like any other property.
 */
@Priority(Priorities.APPLICATION + 100)
public final class KafkaChannelSwitch implements ConfigSourceInterceptor {
  static final String SINK_ENABLED = "mp.messaging.outgoing." + KafkaSink.CHANNEL + ".enabled";
  static final String RELAY_ENABLED = "mp.messaging.incoming." + KafkaRelay.CHANNEL + ".enabled";

  // Quarkus reads channel attributes under quarkus.messaging.* first (mp.messaging.* is its alias).
  static final String QUARKUS_SINK_ENABLED = "quarkus." + SINK_ENABLED.substring(3);
  static final String QUARKUS_RELAY_ENABLED = "quarkus." + RELAY_ENABLED.substring(3);

  @Override
  public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
    boolean sink = SINK_ENABLED.equals(name) || QUARKUS_SINK_ENABLED.equals(name);
    if (!sink && !RELAY_ENABLED.equals(name) && !QUARKUS_RELAY_ENABLED.equals(name)) {
      return context.proceed(name);
    }
    ConfigValue own = context.proceed(name);
    if (own != null && own.getValue() != null && !isDefault(own)) {
      return own;
    }
    boolean on =
        sink
            ? namesKafka(value(context, "kubefim.ingest.sinks"))
            : Boolean.parseBoolean(value(context, "kubefim.ingest.kafka.relay.enabled"));
    return ConfigValue.builder()
        .withName(name)
        .withValue(Boolean.toString(on))
        .withConfigSourceName(KafkaChannelSwitch.class.getSimpleName())
        .build();
  }

  /** Quarkus' messaging mapping gives every channel enabled=true as a default: not a choice. */
  private static boolean isDefault(ConfigValue v) {
    return v.getConfigSourceOrdinal() == Integer.MIN_VALUE
        || (v.getConfigSourceName() != null && v.getConfigSourceName().contains("DefaultValues"));
  }

  /** True when a {@code kubefim.ingest.sinks} value names the kafka sink. */
  static boolean namesKafka(String sinks) {
    return sinks != null
        && Arrays.stream(sinks.split(",")).map(String::trim).anyMatch("kafka"::equalsIgnoreCase);
  }

  private static String value(ConfigSourceInterceptorContext context, String name) {
    ConfigValue v = context.proceed(name);
    return v == null ? null : v.getValue();
  }
}
