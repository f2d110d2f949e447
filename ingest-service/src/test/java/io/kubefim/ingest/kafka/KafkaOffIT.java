package io.kubefim.ingest.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The default replica (sinks=store, no relay) opens no Kafka channel and checks none. */
@QuarkusTest
class KafkaOffIT {
  @Test
  void withoutKafkaSettingsNoKafkaChannelIsOpenedOrHealthChecked() {
    for (String probe : new String[] {"/q/health/ready", "/q/health/live", "/q/health/started"}) {
      String health = given().get(probe).then().statusCode(200).extract().asString();
      assertThat(health).as(probe).doesNotContain(KafkaSink.CHANNEL, KafkaRelay.CHANNEL);
    }
  }
}
