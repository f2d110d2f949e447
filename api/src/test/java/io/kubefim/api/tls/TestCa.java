package io.kubefim.api.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A private CA made with the JDK's keytool in a test's directory, and a server certificate it signs
 * for {@code localhost} and {@code 127.0.0.1}. Shared by the modules' tests through api's test jar.
 * Files in {@code dir}: {@code ca.pem} (the CA, PEM), {@code server.p12} (key and chain, password
 * {@link #PASS}), {@code server.pem} and {@code server-key.pem} (the PEM pair a Quarkus service
 * serves with {@code quarkus.http.ssl.certificate.files} / {@code key-files}).
 */
public final class TestCa {
  public static final String PASS = "changeit";
  private final Path dir;

  private TestCa(Path dir) {
    this.dir = dir;
  }

  /** Makes the CA {@code name} and a server certificate signed by it in {@code dir}. */
  public static TestCa create(Path dir, String name) throws Exception {
    TestCa ca = new TestCa(dir);
    ca.keytool(
        "-genkeypair",
        "-keystore",
        "ca.p12",
        "-alias",
        "ca",
        "-dname",
        "CN=" + name,
        "-ext",
        "bc:c");
    ca.keytool("-exportcert", "-keystore", "ca.p12", "-alias", "ca", "-rfc", "-file", "ca.pem");
    ca.keytool(
        "-genkeypair", "-keystore", "server.p12", "-alias", "server", "-dname", "CN=localhost");
    ca.keytool("-certreq", "-keystore", "server.p12", "-alias", "server", "-file", "server.csr");
    ca.keytool(
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
    ca.keytool(
        "-importcert", "-keystore", "server.p12", "-alias", "ca", "-file", "ca.pem", "-noprompt");
    ca.keytool("-importcert", "-keystore", "server.p12", "-alias", "server", "-file", "server.pem");
    // keytool cannot export a private key: write it as PKCS#8 PEM ("PRIVATE KEY") from the store.
    PrivateKey key = (PrivateKey) ca.serverKeyStore().getKey("server", PASS.toCharArray());
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Files.writeString(dir.resolve("server-key.pem"), pem);
    return ca;
  }

  public Path caPem() {
    return dir.resolve("ca.pem");
  }

  public Path serverCertPem() {
    return dir.resolve("server.pem");
  }

  public Path serverKeyPem() {
    return dir.resolve("server-key.pem");
  }

  /** A server-side SSL context presenting the signed certificate (for a JDK HttpsServer). */
  public SSLContext serverContext() throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(serverKeyStore(), PASS.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  private KeyStore serverKeyStore() throws IOException {
    try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASS.toCharArray());
      return ks;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  private void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-storepass", PASS, "-storetype", "PKCS12"));
    if (args[0].equals("-genkeypair")) {
      cmd.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
    }
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + out);
    }
  }
}
