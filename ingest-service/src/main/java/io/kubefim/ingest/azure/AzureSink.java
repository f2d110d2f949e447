package io.kubefim.ingest.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.monitor.ingestion.LogsIngestionClient;
import com.azure.monitor.ingestion.LogsIngestionClientBuilder;
import com.azure.monitor.ingestion.models.LogsUploadError;
import com.azure.monitor.ingestion.models.LogsUploadOptions;
import io.kubefim.ingest.IngestConfig;
import io.kubefim.ingest.IngestConfig.SinkKind;
import io.kubefim.ingest.pipeline.IngestBatch;
import io.kubefim.ingest.pipeline.SinkDispatcher;
import io.kubefim.ingest.pipeline.SinkException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * The {@code azure} sink: the real Logs Ingestion SDK client ({@code LogsIngestionClient}, Netty,
 * HTTPS, gzip) uploading to the DCR stream. Durability: {@link #accept} returns only when every
 * record of the batch was in an upload the service answered 204.
 *
 * <p>Failure strategy, per upload of at most {@code max-upload-bytes}:
 *
 * <ul>
 *   <li>429, 408, 5xx: the SDK's retry policy retries {@code max-retries} times, honouring
 *       Retry-After (retry-after-ms, x-ms-retry-after-ms); if it still fails, this sink waits the
 *       last Retry-After and uploads the failed records again while the batch's {@code
 *       upload-timeout} allows, then gives up with that Retry-After (HTTP 503 to the agent).
 *   <li>413: the failed records are split in halves and uploaded again, down to one record.
 *   <li>401, 403, 400, 404: a configuration problem no retry fixes: readiness turns DOWN with the
 *       cause in words ({@link AzureSinkHealth}) and the batch fails (503; the agent keeps it).
 *   <li>no answer at all (network, token endpoint): the batch fails with the error (503).
 * </ul>
 *
 * Records of uploads that succeeded before a failure are not taken back: a retried batch may reach
 * the table twice (at-least-once; EventId identifies the duplicates in KQL). Thread-safe: the SDK
 * client is.
 */
@ApplicationScoped
public class AzureSink implements SinkDispatcher.KindedSink {
  private static final Logger LOG = Logger.getLogger(AzureSink.class);

  private final IngestConfig.Azure config;
  private final AzureSinkHealth health;
  private final DcrMapper mapper = new DcrMapper();
  private volatile LogsIngestionClient client;

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
            .buildClient();
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
      List<LogsUploadError> errors = upload(chunk);
      uploads++;
      // push back in reverse so the failed records keep their order at the head of the queue
      for (int i = errors.size() - 1; i >= 0; i--) {
        handle(errors.get(i), pending, deadline);
      }
    }
    health.success();
    LOG.debugf("batch=%s uploaded=%d uploads=%d", batch.id(), records.size(), uploads);
  }

  private List<LogsUploadError> upload(List<Object> chunk) throws SinkException {
    List<LogsUploadError> errors = new ArrayList<>();
    LogsUploadOptions options =
        new LogsUploadOptions().setMaxConcurrency(1).setLogsUploadErrorConsumer(errors::add);
    try {
      client.upload(config.ruleId().get(), config.streamName(), chunk, options);
    } catch (ClientAuthenticationException e) {
      String cause =
          "no token for https://monitor.azure.com//.default: " + firstLine(e.getMessage());
      health.problem(cause);
      throw new SinkException(name(), cause, null, e);
    } catch (HttpResponseException e) {
      errors.add(new LogsUploadError(e, chunk));
    } catch (RuntimeException e) {
      throw new SinkException(name(), "upload failed: " + firstLine(e.getMessage()), null, e);
    }
    return errors;
  }

  private void handle(LogsUploadError error, Deque<List<Object>> pending, Instant deadline)
      throws SinkException {
    HttpResponseException e = error.getResponseException();
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
      default -> {
        Duration wait = RetryAfter.of(response).orElse(config.retryBaseDelay());
        if (Instant.now().plus(wait).isAfter(deadline)) {
          throw new SinkException(
              name(),
              "the service answered " + status + " after the SDK's retries: " + service,
              wait,
              e);
        }
        LOG.debugf(
            "status=%d after SDK retries; waiting %s then retrying %d records",
            (Object) status, wait, failed.size());
        sleep(wait);
        pending.addFirst(failed);
      }
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
