package io.kubefim.operator.status;

import io.kubefim.api.json.Json;
import io.kubefim.api.status.PolicyRollout;
import io.kubefim.api.tls.PemTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;

/**
 * {@link RolloutSource} over config-service's {@code GET /v1/policies/{name}/rollout}. Thread-safe;
 * each call blocks for at most about twice the timeout (connect, then answer).
 *
 * <p>Authentication: config-service lets only the operator's ServiceAccount read rollouts. With a
 * {@code tokenFile} (the operator pod's projected token, audience {@code kubefim}), every request
 * carries {@code Authorization: Bearer} with the file's content, read afresh each time because the
 * kubelet rotates it. Without one, requests carry no token (tests, or auth off).
 *
 * <p>TLS: with a {@code caFile} (a PEM bundle, read once here) an {@code https} URL is trusted only
 * if exactly those CAs sign its certificate ({@link PemTrust}); without one, the JVM's CAs. An
 * untrusted certificate is reported as {@code ConfigServiceUnavailable} with the handshake's
 * reason, like any other unreachable config-service.
 */
public final class HttpRolloutSource implements RolloutSource {
  private final String baseUrl;
  private final Duration timeout;
  private final HttpClient http;
  private final Optional<Path> tokenFile;

  public HttpRolloutSource(String baseUrl, Duration timeout) {
    this(baseUrl, timeout, Optional.empty());
  }

  public HttpRolloutSource(String baseUrl, Duration timeout, Optional<Path> tokenFile) {
    this(baseUrl, timeout, tokenFile, Optional.empty());
  }

  /**
   * @throws UncheckedIOException when {@code caFile} is missing, empty or no PEM bundle (the
   *     message names {@code kubefim.operator.config-service-ca-file} and the file): the start
   *     fails
   */
  public HttpRolloutSource(
      String baseUrl, Duration timeout, Optional<Path> tokenFile, Optional<Path> caFile) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.timeout = timeout;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout);
    if (caFile.isPresent()) {
      try {
        b.sslContext(PemTrust.context(caFile.get()));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "kubefim.operator.config-service-ca-file " + e.getMessage(), e);
      }
    }
    this.http = b.build();
    this.tokenFile = tokenFile;
  }

  @Override
  public RolloutResult fetch(String policyName) {
    URI uri =
        URI.create(
            baseUrl
                + "/v1/policies/"
                + URLEncoder.encode(policyName, StandardCharsets.UTF_8)
                + "/rollout");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
    if (tokenFile.isPresent()) {
      String token;
      try {
        token = Files.readString(tokenFile.get()).trim();
      } catch (IOException e) {
        return new RolloutResult.Unavailable(
            RolloutResult.CONFIG_SERVICE_UNAVAILABLE,
            "cannot read the operator's token " + tokenFile.get() + ": " + describe(e));
      }
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return new RolloutResult.Unavailable(
          RolloutResult.CONFIG_SERVICE_UNAVAILABLE,
          "config-service at " + baseUrl + " is unreachable: " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new RolloutResult.Unavailable(
          RolloutResult.CONFIG_SERVICE_UNAVAILABLE, "interrupted while asking config-service");
    }
    if (response.statusCode() == 404) {
      return new RolloutResult.Unavailable(
          RolloutResult.ROLLOUT_PENDING, "config-service does not know this policy yet");
    }
    if (response.statusCode() != 200) {
      return new RolloutResult.Unavailable(
          RolloutResult.CONFIG_SERVICE_UNAVAILABLE,
          "config-service answered HTTP " + response.statusCode());
    }
    try {
      PolicyRollout rollout = Json.mapper().readValue(response.body(), PolicyRollout.class);
      return new RolloutResult.Reported(rollout);
    } catch (IOException e) {
      return new RolloutResult.Unavailable(
          RolloutResult.CONFIG_SERVICE_UNAVAILABLE,
          "config-service answered an unreadable rollout: " + describe(e));
    }
  }

  private static String describe(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException) {
        return "its TLS certificate is not trusted (a private CA needs"
            + " kubefim.operator.config-service-ca-file): "
            + t.getMessage();
      }
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
