package io.kubefim.config.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubefim.api.tls.PemTrust;
import io.kubefim.api.tls.TestCa;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * config-service serves HTTPS from a PEM certificate and key pair as the chart mounts them from a
 * {@code kubernetes.io/tls} Secret ({@code quarkus.http.ssl.certificate.files} / {@code key-files},
 * plain HTTP refused, a reload period set): a client trusting the test CA through {@link PemTrust}
 * reads {@code /q/health}; one with the JVM's CAs is refused.
 */
@QuarkusTest
@TestProfile(ServesMountedPemIT.Profile.class)
class ServesMountedPemIT {
  static final TestCa CA;
  static final Path POLICIES;
  static final int PORT;

  static {
    try {
      Path dir = Files.createTempDirectory("kubefim-tls");
      CA = TestCa.create(dir, "KubeFIM test CA");
      POLICIES = Files.createDirectories(dir.resolve("policies"));
      try (ServerSocket s = new ServerSocket(0)) {
        PORT = s.getLocalPort();
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot make the test CA", e);
    }
  }

  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "kubefim.config.source", "directory",
          "kubefim.config.policies-dir", POLICIES.toString(),
          "quarkus.http.ssl.certificate.files", CA.serverCertPem().toString(),
          "quarkus.http.ssl.certificate.key-files", CA.serverKeyPem().toString(),
          "quarkus.http.ssl.certificate.reload-period", "1h",
          "quarkus.http.insecure-requests", "disabled",
          "quarkus.http.test-ssl-port", String.valueOf(PORT));
    }
  }

  private static HttpResponse<String> health(HttpClient client) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("https://localhost:" + PORT + "/q/health")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aClientTrustingTheTestCaReadsHealthOverHttps() throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(PemTrust.context(CA.caPem()))
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    HttpResponse<String> r = health(client);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"status\"");
  }

  @Test
  void aClientWithTheJvmsCasRefusesTheCertificate() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    assertThatThrownBy(() -> health(client))
        .isInstanceOfAny(SSLHandshakeException.class, IOException.class)
        .satisfies(
            e -> {
              Throwable t = e;
              while (t != null && !(t instanceof SSLHandshakeException)) {
                t = t.getCause();
              }
              assertThat(t).as("an SSLHandshakeException in %s", e).isNotNull();
            });
  }
}
