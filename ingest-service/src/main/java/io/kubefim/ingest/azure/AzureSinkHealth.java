package io.kubefim.ingest.azure;

import io.kubefim.ingest.IngestConfig;
import io.kubefim.ingest.IngestConfig.SinkKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the Azure sink. A configuration problem that no retry fixes (403: the identity has
 * no role on the DCR; 401; 400/404: DCR, stream or columns do not match; a credential that gets no
 * token) turns readiness DOWN with the cause in words until an upload succeeds, at most for {@code
 * forbidden-recheck}; then UP again so the next batch tries (the role may have been granted or the
 * secret replaced meanwhile), and DOWN again if it still fails. Batches are never dropped
 * meanwhile: they are answered 503 and stay in the agents' spools.
 */
@Readiness
@ApplicationScoped
public class AzureSinkHealth implements HealthCheck {
  private final boolean enabled;
  private final Duration recheck;
  private final Clock clock;
  private volatile String cause;
  private volatile Instant since;
  private volatile Instant lastSuccess;

  @Inject
  public AzureSinkHealth(IngestConfig config) {
    this.enabled = config.sinks().contains(SinkKind.AZURE);
    this.recheck = config.azure().forbiddenRecheck();
    this.clock = Clock.systemUTC();
  }

  /** Records a problem an operator must fix. */
  public void problem(String cause) {
    this.cause = cause;
    this.since = clock.instant();
  }

  /** An upload succeeded: the problem, if any, is gone. */
  public void success() {
    this.cause = null;
    this.lastSuccess = clock.instant();
  }

  /** The current problem, or null. */
  public String currentProblem() {
    String c = cause;
    Instant s = since;
    if (c == null || s == null || clock.instant().isAfter(s.plus(recheck))) {
      return null;
    }
    return c;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("azure-sink");
    if (!enabled) {
      return b.up().withData("state", "not configured").build();
    }
    String problem = currentProblem();
    if (lastSuccess != null) {
      b.withData("lastSuccess", lastSuccess.toString());
    }
    if (problem != null) {
      return b.down().withData("cause", problem).withData("since", since.toString()).build();
    }
    return b.up().build();
  }
}
