package io.kubefim.ingest.kafka;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One KRaft broker (combined broker + controller) in the test JVM, shared by every Kafka test of
 * the run (started once, ~3 s; stopped at JVM exit), reached only through a {@link TcpProxy} the
 * tests can cut. The broker advertises the proxy's address, so clients never bypass it.
 */
final class KafkaBroker {
  /** The topic the service writes and the relay reads in these tests. */
  static final String TOPIC = "kubefim-events-test";

  private static KafkaBroker shared;

  private final KafkaClusterTestKit cluster;
  private final TcpProxy proxy;

  private KafkaBroker() throws Exception {
    proxy = new TcpProxy();
    cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(Files.createTempDirectory("kubefim-kafka-test"))
                    .build())
            .setConfigProp("advertised.listeners", "EXTERNAL://127.0.0.1:" + proxy.port())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("auto.create.topics.enable", "false")
            .build();
    cluster.format();
    cluster.startup();
    String direct = cluster.bootstrapServers().split(",")[0];
    int colon = direct.lastIndexOf(':');
    proxy.target(direct.substring(0, colon), Integer.parseInt(direct.substring(colon + 1)));
    cluster.waitForReadyBrokers();
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  static synchronized KafkaBroker shared() {
    if (shared == null) {
      try {
        shared = new KafkaBroker();
      } catch (Exception e) {
        throw new IllegalStateException("test broker did not start", e);
      }
      KafkaBroker b = shared;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      b.cluster.close();
                      b.proxy.close();
                    } catch (Exception e) {
                      // JVM exit
                    }
                  }));
    }
    return shared;
  }

  /** Bootstrap address for clients: the proxy. */
  String bootstrapServers() {
    return "127.0.0.1:" + proxy.port();
  }

  TcpProxy proxy() {
    return proxy;
  }

  Admin admin() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers());
    return Admin.create(p);
  }

  /** Client properties for a test's own consumer or producer. */
  Map<String, Object> clientProperties() {
    return Map.of("bootstrap.servers", bootstrapServers());
  }
}
