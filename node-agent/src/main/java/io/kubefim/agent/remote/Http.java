package io.kubefim.agent.remote;

import io.kubefim.api.tls.PemTrust;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * The HTTP clients the agent talks to config-service and ingest-service with: one place for the TLS
 * trust. By default the JDK's trusted CAs; with {@code --ca-file} (a PEM bundle, as cert-manager's
 * trust-manager hands it out in a ConfigMap) exactly the CAs in that bundle, so a private CA can
 * sign the services' certificates (not the JVM's public CAs as well: {@link PemTrust}). The bundle
 * is read at start: a rotated bundle takes effect when the agent restarts.
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

  /** An SSL context trusting exactly the certificates in {@code caFile} ({@link PemTrust}). */
  static SSLContext context(Path caFile) throws IOException {
    try {
      return PemTrust.context(caFile);
    } catch (IOException e) {
      throw new IOException("--ca-file " + e.getMessage(), e);
    }
  }
}
