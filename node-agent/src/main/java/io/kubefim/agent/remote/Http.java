package io.kubefim.agent.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP clients the agent talks to config-service and ingest-service with: one place for the TLS
 * trust. By default the JDK's trusted CAs; with {@code --ca-file} (a PEM bundle, as cert-manager's
 * trust-manager hands it out in a ConfigMap) exactly the CAs in that bundle, so a private CA can
 * sign the services' certificates. The bundle is read at start: a rotated bundle takes effect when
 * the agent restarts.
 */
public final class Http {
  private static volatile SSLContext trust;

  private Http() {}

  /**
   * Trusts exactly the certificates of the PEM bundle {@code caFile} from now on (null: the JDK's).
   *
   * @throws IOException when the file cannot be read or holds no certificate (the message names it)
   */
  public static void trust(Path caFile) throws IOException {
    trust = caFile == null ? null : context(caFile);
  }

  /** A client with the configured trust. */
  public static HttpClient newClient(Duration connectTimeout) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connectTimeout);
    SSLContext t = trust;
    if (t != null) {
      b.sslContext(t);
    }
    return b.build();
  }

  /** An SSL context trusting exactly the certificates in {@code caFile}. */
  static SSLContext context(Path caFile) throws IOException {
    Collection<? extends Certificate> certs;
    try (InputStream in = Files.newInputStream(caFile)) {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "--ca-file " + caFile + ": not a PEM certificate bundle: " + e.getMessage());
    }
    if (certs.isEmpty()) {
      throw new IOException("--ca-file " + caFile + ": holds no certificate");
    }
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("--ca-file " + caFile + ": " + e.getMessage(), e);
    }
  }
}
