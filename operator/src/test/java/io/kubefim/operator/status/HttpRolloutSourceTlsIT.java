package io.kubefim.operator.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.kubefim.api.json.Json;
import io.kubefim.api.status.PolicyRollout;
import io.kubefim.api.tls.TestCa;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator reads a rollout from an HTTPS config-service whose certificate a private CA (made
 * with keytool, {@link TestCa}) signs: with {@code config-service-ca-file} it is read, without it
 * the certificate is refused with a reason that says so.
 */
class HttpRolloutSourceTlsIT {
  @TempDir static Path dir;
  private static TestCa ca;
  private static HttpsServer server;
  private static String url;
  private static final PolicyRollout ANSWER =
      new PolicyRollout("p", 1, 3, 3, 0, List.of(), List.of());

  @BeforeAll
  static void privateCaAndServer() throws Exception {
    ca = TestCa.create(dir, "KubeFIM test CA");
    byte[] body = Json.mapper().writeValueAsBytes(ANSWER);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ca.serverContext()));
    server.createContext(
        "/v1/policies/p/rollout",
        ex -> {
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    url = "https://localhost:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @Test
  void withTheCaFileTheRolloutIsRead() {
    RolloutResult r =
        new HttpRolloutSource(url, Duration.ofSeconds(5), Optional.empty(), Optional.of(ca.caPem()))
            .fetch("p");

    assertThat(r).isEqualTo(new RolloutResult.Reported(ANSWER));
  }

  @Test
  void withoutTheCaFileTheCertificateIsNotTrusted() {
    RolloutResult r = new HttpRolloutSource(url, Duration.ofSeconds(5)).fetch("p");

    assertThat(r).isInstanceOf(RolloutResult.Unavailable.class);
    RolloutResult.Unavailable u = (RolloutResult.Unavailable) r;
    assertThat(u.reason()).isEqualTo(RolloutResult.CONFIG_SERVICE_UNAVAILABLE);
    assertThat(u.message())
        .contains(url)
        .contains("TLS certificate is not trusted")
        .contains("kubefim.operator.config-service-ca-file");
  }

  @Test
  void anEmptyCaFileStopsTheStartNamingIt() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");

    assertThatThrownBy(
            () ->
                new HttpRolloutSource(
                    url, Duration.ofSeconds(5), Optional.empty(), Optional.of(empty)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("kubefim.operator.config-service-ca-file " + empty)
        .hasMessageContaining("holds no certificate");
  }
}
