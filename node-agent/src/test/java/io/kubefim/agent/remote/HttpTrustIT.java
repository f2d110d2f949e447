package io.kubefim.agent.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.kubefim.api.tls.TestCa;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A private CA (made with the JDK's keytool, {@link TestCa}) signs a local HTTPS server's
 * certificate: with {@code --ca-file} the agent's clients trust it, without it they refuse it, and
 * a bundle of another CA or a file that is no bundle is refused with a message naming the file.
 */
class HttpTrustIT {
  @TempDir static Path dir;
  private static HttpsServer server;
  private static URI uri;

  @BeforeAll
  static void privateCaAndServer() throws Exception {
    Path caDir = Files.createDirectories(dir.resolve("ca"));
    Path otherDir = Files.createDirectories(dir.resolve("other"));
    TestCa ca = TestCa.create(caDir, "KubeFIM test CA");
    TestCa.create(otherDir, "Other CA");
    Files.copy(ca.caPem(), dir.resolve("ca.pem"));
    Files.copy(otherDir.resolve("ca.pem"), dir.resolve("other.pem"));
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ca.serverContext()));
    server.createContext(
        "/q/health/ready",
        x -> {
          x.sendResponseHeaders(200, -1);
          x.close();
        });
    server.start();
    uri = URI.create("https://localhost:" + server.getAddress().getPort() + "/q/health/ready");
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @AfterEach
  void jdkTrustAgain() throws IOException {
    Http.trust(null);
  }

  private static int get() throws Exception {
    return Http.newClient(Duration.ofSeconds(5))
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void theBundleOfThePrivateCaIsTrusted() throws Exception {
    Http.trust(dir.resolve("ca.pem"));

    assertThat(get()).isEqualTo(200);
  }

  @Test
  void withoutTheBundleThePrivateCaIsRefused() {
    assertThatThrownBy(HttpTrustIT::get).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void aBundleOfAnotherCaIsRefused() throws Exception {
    Http.trust(dir.resolve("other.pem"));

    assertThatThrownBy(HttpTrustIT::get).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void aFileThatIsNoBundleIsAnErrorNamingIt() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");

    assertThatThrownBy(() -> Http.trust(junk))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("--ca-file " + junk);
  }
}
