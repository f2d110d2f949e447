package io.kubefim.ingest.azure.fake;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for localhost (SAN dns:localhost, ip:127.0.0.1) made with the JDK's
 * keytool on first use, and the trust store holding it. Surefire points {@code
 * javax.net.ssl.trustStore} at {@link #trustStore()}, so the Azure SDK (Netty, JDK trust managers)
 * trusts the fake without any code of its own. Works on a fresh machine: only the JDK is needed.
 */
public final class TestTls {
  public static final String PASSWORD = "changeit";

  private TestTls() {}

  public static Path dir() {
    return Path.of(System.getProperty("kubefim.test.tls-dir", "target/fake-azure"));
  }

  public static Path keyStore() {
    return dir().resolve("keystore.p12");
  }

  public static Path trustStore() {
    return dir().resolve("truststore.p12");
  }

  /** Creates key and trust store unless both exist. */
  public static synchronized void ensure() throws IOException, InterruptedException {
    if (Files.exists(keyStore()) && Files.exists(trustStore())) {
      return;
    }
    Files.createDirectories(dir());
    Files.deleteIfExists(keyStore());
    Files.deleteIfExists(trustStore());
    Path cert = dir().resolve("fake.crt");
    Files.deleteIfExists(cert);
    keytool(
        "-genkeypair",
        "-alias",
        "fake",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1",
        "-validity",
        "3650",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore().toString(),
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-alias",
        "fake",
        "-keystore",
        keyStore().toString(),
        "-storepass",
        PASSWORD,
        "-rfc",
        "-file",
        cert.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "fake",
        "-file",
        cert.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        trustStore().toString(),
        "-storepass",
        PASSWORD);
  }

  /** The server side context of the fake. */
  public static SSLContext serverContext() throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore())) {
      ks.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(keytool.toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + out);
    }
  }
}
