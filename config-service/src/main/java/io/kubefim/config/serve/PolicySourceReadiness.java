package io.kubefim.config.serve;

import io.kubefim.config.source.PolicySource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the policy source has its initial state, so no agent is served a config compiled from
 * a half-synced cache.
 */
@Readiness
@ApplicationScoped
public class PolicySourceReadiness implements HealthCheck {
  @Inject PolicySource source;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("policy-source")
        .status(source.isReady())
        .withData("revision", source.current().revision())
        .withData("policies", source.current().policies().size())
        .build();
  }
}
