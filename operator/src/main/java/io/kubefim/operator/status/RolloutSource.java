package io.kubefim.operator.status;

/**
 * Where a policy's rollout comes from (config-service in production, a fake in tests).
 *
 * <p>Contract: never throws for a remote failure; returns {@link RolloutResult.Unavailable}
 * instead. Blocking, bounded by the implementation's timeout; called on reconcile threads.
 */
public interface RolloutSource {
  RolloutResult fetch(String policyName);
}
