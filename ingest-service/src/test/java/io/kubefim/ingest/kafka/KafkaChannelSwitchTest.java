package io.kubefim.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaChannelSwitchTest {
  private static SmallRyeConfig config(Map<String, String> props) {
    return new SmallRyeConfigBuilder()
        .addDefaultInterceptors()
        .addDiscoveredInterceptors()
        .withSources(new PropertiesConfigSource(new HashMap<>(props), "test", 500))
        // as Quarkus' messaging mapping does: enabled=true for every channel, as a default
        .withDefaultValue(KafkaChannelSwitch.SINK_ENABLED, "true")
        .withDefaultValue(KafkaChannelSwitch.QUARKUS_RELAY_ENABLED, "true")
        .build();
  }

  private static boolean value(SmallRyeConfig c, String name) {
    return c.getOptionalValue(name, Boolean.class).orElseThrow();
  }

  @Test
  void channelsAreOffWithoutKafkaSettings() {
    SmallRyeConfig c = config(Map.of("kubefim.ingest.sinks", "store,azure"));
    assertThat(value(c, KafkaChannelSwitch.SINK_ENABLED)).isFalse();
    assertThat(value(c, KafkaChannelSwitch.RELAY_ENABLED)).isFalse();
    assertThat(value(config(Map.of()), KafkaChannelSwitch.SINK_ENABLED)).isFalse();
    assertThat(value(c, KafkaChannelSwitch.QUARKUS_SINK_ENABLED)).isFalse();
    assertThat(value(c, KafkaChannelSwitch.QUARKUS_RELAY_ENABLED)).isFalse();
  }

  @Test
  void sinkChannelFollowsTheSinksList() {
    assertThat(
            value(
                config(Map.of("kubefim.ingest.sinks", "store, KAFKA")),
                KafkaChannelSwitch.SINK_ENABLED))
        .isTrue();
    assertThat(
            value(
                config(Map.of("kubefim.ingest.sinks", "kafkaesque")),
                KafkaChannelSwitch.SINK_ENABLED))
        .isFalse();
  }

  @Test
  void relayChannelFollowsRelayEnabledAndProfiles() {
    SmallRyeConfig c =
        config(
            Map.of(
                "kubefim.ingest.kafka.relay.enabled", "false",
                "%dev.kubefim.ingest.kafka.relay.enabled", "true",
                "smallrye.config.profile", "dev"));
    assertThat(value(c, KafkaChannelSwitch.RELAY_ENABLED)).isTrue();
  }

  @Test
  void quarkusNamesAnswerTheSame() {
    SmallRyeConfig c =
        config(
            Map.of("kubefim.ingest.sinks", "kafka", "kubefim.ingest.kafka.relay.enabled", "true"));
    assertThat(value(c, KafkaChannelSwitch.QUARKUS_SINK_ENABLED)).isTrue();
    assertThat(value(c, KafkaChannelSwitch.QUARKUS_RELAY_ENABLED)).isTrue();
  }

  @Test
  void anExplicitChannelSettingWins() {
    SmallRyeConfig c =
        config(Map.of("kubefim.ingest.sinks", "kafka", KafkaChannelSwitch.SINK_ENABLED, "false"));
    assertThat(value(c, KafkaChannelSwitch.SINK_ENABLED)).isFalse();
  }
}
