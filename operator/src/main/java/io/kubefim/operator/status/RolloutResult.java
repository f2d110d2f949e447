package io.kubefim.operator.status;

import io.kubefim.api.status.PolicyRollout;
import java.util.Objects;

/** What the operator learned about a policy's rollout: config-service's report, or why not. */
public sealed interface RolloutResult {
  /** config-service answered with a report. */
  record Reported(PolicyRollout rollout) implements RolloutResult {
    public Reported {
      Objects.requireNonNull(rollout, "rollout");
    }
  }

  /**
   * No report: the Ready condition becomes Unknown with this reason and message. Retryable: the
   * next poll asks again.
   *
   * @param reason a CamelCase condition reason, e.g. {@link #CONFIG_SERVICE_UNAVAILABLE}
   * @param message what happened, in words
   */
  record Unavailable(String reason, String message) implements RolloutResult {
    public Unavailable {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }

  /** config-service could not be reached or answered with an error. */
  String CONFIG_SERVICE_UNAVAILABLE = "ConfigServiceUnavailable";

  /** config-service does not know the policy (yet): its informer has not seen it. */
  String ROLLOUT_PENDING = "RolloutPending";

  /** The operator could not write the agent DaemonSet. */
  String DAEMON_SET_UPDATE_FAILED = "DaemonSetUpdateFailed";
}
