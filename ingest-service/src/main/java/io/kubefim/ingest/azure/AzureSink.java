package io.kubefim.ingest.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.monitor.ingestion.LogsIngestionAsyncClient;
import com.azure.monitor.ingestion.LogsIngestionClientBuilder;
import com.azure.monitor.ingestion.models.LogsUploadError;
import com.azure.monitor.ingestion.models.LogsUploadOptions;
import com.microsoft.aad.msal4j.MsalException;
import io.kubefim.ingest.IngestConfig;
import io.kubefim.ingest.IngestConfig.SinkKind;
import io.kubefim.ingest.pipeline.IngestBatch;
import io.kubefim.ingest.pipeline.SinkDispatcher;
import io.kubefim.ingest.pipeline.SinkException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * The {@code azure} sink: the real Logs Ingestion SDK client ({@code LogsIngestionAsyncClient},
 * Netty, HTTPS, gzip) uploading to the DCR stream. Durability: {@link #accept} returns only when
 * every record of the batch was in an upload the service answered 204.
 *
 * <p>Failure strategy, per upload of at most {@code max-upload-bytes}; every upload, token request
 * included, is bounded by what is left of the batch's {@code upload-timeout}:
 *
 * <ul>
 *   <li>429, 408, 5xx, and no answer at all (connection refused, reset, closed before the
 *       response): the SDK's retry policy retries {@code max-retries} times, honouring Retry-After
 *       (retry-after-ms, x-ms-retry-after-ms); if it still fails, this sink waits the last
 *       Retry-After (else {@code retry-base-delay}) and uploads the failed records again while the
 *       batch's {@code upload-timeout} allows, then gives up with that wait (HTTP 503 to the
 *       agent).
 *   <li>413: the failed records are split in halves and uploaded again, down to one record.
 *   <li>401, 403, 400, 404: a configuration problem no retry fixes: readiness turns DOWN with the
 *       cause in words ({@link AzureSinkHealth}) and the batch fails (503; the agent keeps it).
 *   <li>no token (the credential failed, however the SDK wraps it): likewise, with the credential's
 *       own words (never the secret).
 *   <li>{@code upload-timeout} passed (a token request or upload that hangs): the upload is
 *       cancelled and the batch fails (503 with the pipeline's Retry-After); it is never acked.
 * </ul>
 *
 * Records of uploads that succeeded before a failure are not taken back: a retried batch may reach
 * the table twice (at-least-once; EventId identifies the duplicates in KQL). Thread-safe: the SDK
 * client is.
 */
@ApplicationScoped
public class AzureSink implements SinkDispatcher.KindedSink {
  private static final Logger LOG = Logger.getLogger(AzureSink.class);
  private static final String SCOPE = "https://monitor.azure.com//.default";

  private final IngestConfig.Azure config;
  private final AzureSinkHealth health;
  private final DcrMapper mapper = new DcrMapper();
  private volatile LogsIngestionAsyncClient client;

  @Inject
  public AzureSink(IngestConfig config, @Readiness AzureSinkHealth health) {
    this.config = config.azure();
    this.health = health;
  }

  @Override
  public SinkKind kind() {
    return SinkKind.AZURE;
  }

  @Override
  public String name() {
    return "azure";
  }

  @Override
  public void start() {
    String endpoint =
        config
            .endpoint()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "kubefim.ingest.azure.endpoint is required for sink azure"));
    if (config.ruleId().isEmpty()) {
      throw new IllegalStateException(
          "kubefim.ingest.azure.rule-id (the DCR immutable id) is required");
    }
    TokenCredential credential = AzureCredentials.build(config);
    client =
        new LogsIngestionClientBuilder()
            .endpoint(endpoint)
            .credential(credential)
            .retryOptions(
                new RetryOptions(
                    new ExponentialBackoffOptions()
                        .setMaxRetries(config.maxRetries())
                        .setBaseDelay(config.retryBaseDelay())
                        .setMaxDelay(config.retryMaxDelay())))
            .buildAsyncClient();
    LOG.infof(
        "azure sink endpoint=%s rule=%s stream=%s credential=%s",
        endpoint, config.ruleId().get(), config.streamName(), config.credential());
  }

  @Override
  public void accept(IngestBatch batch) throws SinkException {
    Instant deadline = Instant.now().plus(config.uploadTimeout());
    List<Map<String, Object>> records = new ArrayList<>(batch.events().size());
    batch.events().forEach(e -> records.add(mapper.toRecord(e)));
    Deque<List<Object>> pending = new ArrayDeque<>();
    for (List<Map<String, Object>> chunk :
        UploadChunker.chunks(records, mapper::sizeOf, config.maxUploadBytes())) {
      pending.add(new ArrayList<>(chunk));
    }
    int uploads = 0;
    while (!pending.isEmpty()) {
      List<Object> chunk = pending.poll();
      List<LogsUploadError> errors = upload(chunk, pending, deadline);
      uploads++;
      // push back in reverse so the failed records keep their order at the head of the queue
      for (int i = errors.size() - 1; i >= 0; i--) {
        handle(errors.get(i), pending, deadline);
      }
    }
    health.success();
    LOG.debugf("batch=%s uploaded=%d uploads=%d", batch.id(), records.size(), uploads);
  }

  /**
   * One upload, bounded as a whole (token acquisition, connection, SDK retries) by what is left of
   * the batch's deadline. Returns the service's answers other than 204; a dropped connection is
   * waited out and the chunk put back at the head of {@code pending}, as for a 5xx.
   */
  private List<LogsUploadError> upload(
      List<Object> chunk, Deque<List<Object>> pending, Instant deadline) throws SinkException {
    Duration left = Duration.between(Instant.now(), deadline);
    if (left.isNegative() || left.isZero()) {
      throw deadlinePassed("before an upload", null);
    }
    List<LogsUploadError> errors = Collections.synchronizedList(new ArrayList<>());
    LogsUploadOptions options =
        new LogsUploadOptions().setMaxConcurrency(1).setLogsUploadErrorConsumer(errors::add);
    try {
      client
          .upload(config.ruleId().get(), config.streamName(), chunk, options)
          .timeout(left, Mono.error(DeadlinePassed::new))
          .block();
    } catch (RuntimeException e) {
      Throwable cause = Exceptions.unwrap(e);
      if (cause instanceof DeadlinePassed) {
        throw deadlinePassed("during an upload (token request included)", null);
      }
      if (credentialFailure(cause) != null) {
        throw credentialProblem(cause);
      }
      if (connectionFailure(cause)) {
        retryLater(
            "no answer (" + firstLine(describe(cause)) + ")",
            Optional.empty(),
            chunk,
            pending,
            deadline,
            e);
        return List.of();
      }
      throw new SinkException(name(), "upload failed: " + firstLine(describe(cause)), null, e);
    }
    synchronized (errors) {
      return new ArrayList<>(errors);
    }
  }

  private void handle(LogsUploadError error, Deque<List<Object>> pending, Instant deadline)
      throws SinkException {
    HttpResponseException e = error.getResponseException();
    if (credentialFailure(e) != null) {
      // ClientAuthenticationException is an HttpResponseException: the SDK hands it over as a
      // failed upload without a response
      throw credentialProblem(e);
    }
    HttpResponse response = e.getResponse();
    int status = response == null ? 0 : response.getStatusCode();
    List<Object> failed = error.getFailedLogs();
    String service = firstLine(e.getMessage());
    switch (status) {
      case 413 -> {
        if (failed.size() < 2) {
          throw new SinkException(
              name(), "the service refuses a single event as too large (413): " + service, null, e);
        }
        List<List<Object>> halves = UploadChunker.halves(failed);
        pending.addFirst(halves.get(1));
        pending.addFirst(halves.get(0));
        LOG.debugf("413 for %d records: split", failed.size());
      }
      case 401, 403, 400, 404 -> {
        String cause = describeTerminal(status, service);
        health.problem(cause);
        LOG.errorf("azure sink: %s", cause);
        throw new SinkException(name(), cause, config.forbiddenRecheck(), e);
      }
      default ->
          retryLater(
              "the service answered " + status + " (" + service + ")",
              RetryAfter.of(response),
              failed,
              pending,
              deadline,
              e);
    }
  }

  /**
   * After the SDK's own retries: wait the service's Retry-After (else {@code retry-base-delay}) and
   * put the records back at the head of the queue, or give up when the wait would pass the deadline
   * (the agent keeps the batch and sends it again after the Retry-After).
   */
  private void retryLater(
      String what,
      Optional<Duration> retryAfter,
      List<Object> failed,
      Deque<List<Object>> pending,
      Instant deadline,
      Throwable e)
      throws SinkException {
    Duration wait = retryAfter.orElse(config.retryBaseDelay());
    if (Instant.now().plus(wait).isAfter(deadline)) {
      throw new SinkException(name(), what + " after the SDK's retries", wait, e);
    }
    LOG.debugf(
        "%s after SDK retries; waiting %s then retrying %d records", what, wait, failed.size());
    sleep(wait);
    pending.addFirst(failed);
  }

  private SinkException deadlinePassed(String when, Throwable e) {
    return new SinkException(
        name(),
        "upload-timeout ("
            + config.uploadTimeout().toMillis()
            + " ms) passed "
            + when
            + "; nothing of the rest was taken, send again",
        null,
        e);
  }

  /** Readiness DOWN with the credential's words (never the secret), and a 503 like a 401's. */
  private SinkException credentialProblem(Throwable e) {
    String cause =
        redact(
            "no token for "
                + SCOPE
                + " from credential="
                + config.credential()
                + config.tenantId().map(t -> " tenant=" + t).orElse("")
                + config.clientId().map(c -> " client-id=" + c).orElse("")
                + ": "
                + credentialFailure(e));
    health.problem(cause);
    LOG.errorf("azure sink: %s", cause);
    return new SinkException(name(), cause, config.forbiddenRecheck(), null);
  }

  /**
   * The credential's own words when {@code e} or one of its causes is a credential failure (the SDK
   * may wrap it in a plain RuntimeException or an ExecutionException), else null.
   */
  static String credentialFailure(Throwable e) {
    boolean credential = false;
    StringBuilder words = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ClientAuthenticationException || t instanceof MsalException) {
        credential = true;
      }
      if (credential) {
        String m = firstLine(t.getMessage());
        if (!m.isBlank() && words.indexOf(m) < 0 && !m.startsWith(t.getClass().getName())) {
          if (words.length() > 0) {
            words.append(": ");
          }
          words.append(m);
        }
      }
    }
    return credential ? words.toString() : null;
  }

  /**
   * No answer from the service: connection refused, reset or closed before the response, or no
   * response within the HTTP client's timeout.
   */
  static boolean connectionFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException || t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  private String redact(String text) {
    String secret = config.clientSecret().orElse("");
    return secret.length() < 4 ? text : text.replace(secret, "***");
  }

  private static String describe(Throwable t) {
    return t.getClass().getName() + ": " + t.getMessage();
  }

  /** The batch's deadline passed while an upload was under way. */
  private static final class DeadlinePassed extends Exception {
    DeadlinePassed() {
      super("upload-timeout", null, false, false);
    }
  }

  private String describeTerminal(int status, String service) {
    String where =
        "DCR "
            + config.ruleId().orElse("?")
            + " stream "
            + config.streamName()
            + " at "
            + config.endpoint().orElse("?");
    return switch (status) {
      case 403 ->
          "403 Forbidden from the Logs Ingestion API: the identity has no permission on "
              + where
              + "; assign it the role \"Monitoring Metrics Publisher\" on the DCR ("
              + service
              + ")";
      case 401 ->
          "401 Unauthorized from the Logs Ingestion API for "
              + where
              + ": the token was refused ("
              + service
              + ")";
      case 404 ->
          "404 Not Found: no such " + where + "; check rule-id and stream-name (" + service + ")";
      default ->
          "400 Bad Request: the records do not match the stream declaration of "
              + where
              + "; deploy deploy/azure/kubefim-azure.json again ("
              + service
              + ")";
    };
  }

  private static void sleep(Duration d) throws SinkException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SinkException("azure", "interrupted", null, e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
