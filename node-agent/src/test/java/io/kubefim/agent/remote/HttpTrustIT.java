package io.kubefim.agent.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A private CA (made here with the JDK's keytool) signs a local HTTPS server's certificate: with
 * {@code --ca-file} the agent's clients trust it, without it they refuse it, and a bundle of
 * another CA or a file that is no bundle is refused with a message naming the file.
 */
class HttpTrustIT {
  private static final String PASS = "changeit";
  @TempDir static Path dir;
  private static HttpsServer server;
  private static URI uri;

  @BeforeAll
  static void privateCaAndServer() throws Exception {
    keytool(
        "-genkeypair",
        "-keystore",
        "ca.p12",
        "-alias",
        "ca",
        "-dname",
        "CN=KubeFIM test CA",
        "-ext",
        "bc:c");
    keytool("-exportcert", "-keystore", "ca.p12", "-alias", "ca", "-rfc", "-file", "ca.pem");
    keytool(
        "-genkeypair",
        "-keystore",
        "other.p12",
        "-alias",
        "ca",
        "-dname",
        "CN=Other CA",
        "-ext",
        "bc:c");
    keytool("-exportcert", "-keystore", "other.p12", "-alias", "ca", "-rfc", "-file", "other.pem");
    keytool("-genkeypair", "-keystore", "server.p12", "-alias", "server", "-dname", "CN=localhost");
    keytool("-certreq", "-keystore", "server.p12", "-alias", "server", "-file", "server.csr");
    keytool(
        "-gencert",
        "-keystore",
        "ca.p12",
        "-alias",
        "ca",
        "-infile",
        "server.csr",
        "-outfile",
        "server.pem",
        "-rfc",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1");
    keytool(
        "-importcert", "-keystore", "server.p12", "-alias", "ca", "-file", "ca.pem", "-noprompt");
    keytool("-importcert", "-keystore", "server.p12", "-alias", "server", "-file", "server.pem");

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
      ks.load(in, PASS.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASS.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    server.createContext(
        "/q/health/ready",
        x -> {
          x.sendResponseHeaders(200, -1);
          x.close();
        });
    server.start();
    uri = URI.create("https://localhost:" + server.getAddress().getPort() + "/q/health/ready");
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-storepass", PASS, "-storetype", "PKCS12"));
    if (args[0].equals("-genkeypair")) {
      cmd.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
    }
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("keytool %s: %s", args[0], out).isZero();
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
