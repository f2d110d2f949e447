package io.kubefim.config.rollout;

import io.kubefim.api.status.NodeStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last heartbeat of each node, as received by this replica, with the receive time (agents'
 * clocks are not trusted for freshness). In memory on purpose: a restarted replica learns every
 * node again within one heartbeat interval, and readers merge replicas per node by the newest
 * {@code lastSeen} (see docs/config-service.md). Thread-safe.
 */
public final class Heartbeats {
  private final Map<String, Received> byNode = new ConcurrentHashMap<>();
  private final Clock clock;

  public Heartbeats(Clock clock) {
    this.clock = clock;
  }

  /** Records a node's heartbeat, replacing the previous one. */
  public void record(NodeStatus status) {
    byNode.put(status.node(), new Received(status, clock.instant()));
  }

  /** Every node's last heartbeat; a copy. */
  public Map<String, Received> all() {
    return Map.copyOf(byNode);
  }

  /**
   * A heartbeat and when this replica received it.
   *
   * @param status what the agent said
   * @param receivedAt this replica's clock at receipt
   */
  public record Received(NodeStatus status, Instant receivedAt) {}
}
