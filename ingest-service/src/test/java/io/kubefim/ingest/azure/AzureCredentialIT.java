package io.kubefim.ingest.azure;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.ingest.azure.fake.FakeAzureResource;
import io.kubefim.ingest.azure.fake.FakeLogsIngestion;
import io.kubefim.ingest.testing.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code credential=client-secret} with a secret Entra refuses: the real ClientSecretCredential
 * (MSAL) asks the fake's token endpoint over HTTPS (authority host = the fake), which answers as
 * Entra does (401 invalid_client, AADSTS7000215). Readiness must say so, without the secret.
 */
@QuarkusTest
@TestProfile(AzureClientSecretProfile.class)
class AzureCredentialIT {
  private static final List<String> LOG = new CopyOnWriteArrayList<>();
  private static final Handler CAPTURE =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
          StringWriter w = new StringWriter();
          w.append(r.getLoggerName()).append(' ').append(formatter.formatMessage(r));
          if (r.getThrown() != null) {
            r.getThrown().printStackTrace(new PrintWriter(w));
          }
          LOG.add(w.toString());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeAll
  static void captureLogs() {
    Logger.getLogger("").addHandler(CAPTURE);
  }

  @AfterAll
  static void stopCapturing() {
    Logger.getLogger("").removeHandler(CAPTURE);
  }

  @Test
  void aRefusedSecretTurnsReadinessDownWithTheCredentialsWordsUntilAnUploadSucceeds() {
    FakeLogsIngestion fake = FakeAzureResource.fake();
    fake.clearFaults();
    fake.clientSecret("the-secret-Entra-expects-now");
    List<ObjectNode> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add(TestEvents.file("node-secret", "/etc/app/secret-" + i + ".yaml"));
    }
    String body = TestEvents.array(events);

    Response refused = post(body);
    refused.then().statusCode(503).body("error", containsString("AADSTS7000215"));
    assertThat(refused.asString()).doesNotContain(AzureClientSecretProfile.SECRET);
    Response ready = given().get("/q/health/ready");
    ready
        .then()
        .statusCode(503)
        .body(
            "checks.find { it.name == 'azure-sink' }.data.cause",
            containsString("Invalid client secret provided"));
    assertThat(ready.asString())
        .contains("client-secret")
        .doesNotContain(AzureClientSecretProfile.SECRET);
    assertThat(fake.records()).isEmpty();

    fake.clientSecret(AzureClientSecretProfile.SECRET);
    post(body).then().statusCode(202).body("accepted", equalTo(5));
    given().get("/q/health/ready").then().statusCode(200);
    List<String> ids = fake.records().stream().map(r -> r.get("EventId").asText()).toList();
    for (ObjectNode e : events) {
      assertThat(ids).containsOnlyOnce(e.get("EventId").asText());
    }

    assertThat(LOG).anyMatch(l -> l.contains("AADSTS7000215"));
    assertThat(LOG).noneMatch(l -> l.contains(AzureClientSecretProfile.SECRET));
  }

  private static Response post(String body) {
    return given().contentType("application/json").body(body).post("/v1/events");
  }
}
