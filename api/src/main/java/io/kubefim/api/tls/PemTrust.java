package io.kubefim.api.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A PEM bundle of CA certificates (as cert-manager's trust-manager writes a Bundle target into a
 * ConfigMap) turned into an {@link SSLContext} for clients: the agent's {@code --ca-file} and the
 * operator's {@code kubefim.operator.config-service-ca-file}.
 *
 * <p>Trust semantics: the context trusts <em>exactly</em> the certificates in the bundle, not the
 * JVM's public CAs as well, so that a service certificate from any other CA is refused. Put the
 * public roots into the bundle too if a URL needs them (trust-manager can add its default CAs).
 *
 * <p>The file is read once, when {@link #context} is called: a rotated bundle takes effect only for
 * a context made afterwards (the callers make theirs at start, so: at the next restart).
 */
public final class PemTrust {
  private PemTrust() {}

  /**
   * An SSL context trusting exactly the certificates in {@code bundle}.
   *
   * @throws IOException when the file is missing or unreadable, holds no certificate, or is not a
   *     PEM certificate bundle; the message starts with the file's path
   */
  public static SSLContext context(Path bundle) throws IOException {
    Collection<? extends Certificate> certs;
    try (InputStream in = Files.newInputStream(bundle)) {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (NoSuchFileException e) {
      throw new IOException(bundle + ": no such CA bundle file", e);
    } catch (GeneralSecurityException e) {
      throw new IOException(bundle + ": not a PEM certificate bundle: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException(bundle + ": cannot read the CA bundle: " + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new IOException(bundle + ": holds no certificate");
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
      throw new IOException(bundle + ": " + e.getMessage(), e);
    }
  }
}
