package io.kubefim.agent.health;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What {@code /q/health/live} and {@code /q/health/ready} answer. Liveness is DOWN once any worker
 * stopped ({@link Workers}); readiness is DOWN then too, and until the first scan is committed (or
 * while the engine fails). Non-blocking (volatile reads and a small copy), since the HTTP thread
 * answers health without waiting for anything.
 */
public final class AgentHealth {
  /**
   * One check's outcome.
   *
   * @param up UP or DOWN
   * @param data why, for the JSON body's check data (stopped worker → reason)
   */
  public record Check(boolean up, Map<String, String> data) {}

  private final Workers workers;
  private final Supplier<String> notReady;

  /**
   * @param ready whether the engine has committed its first scan and works
   */
  public AgentHealth(Workers workers, BooleanSupplier ready) {
    this(workers, () -> ready.getAsBoolean() ? null : "first scan not committed yet");
  }

  /**
   * @param notReady why the agent is not ready (no config yet, first scan running, engine failing),
   *     null when it is
   */
  public AgentHealth(Workers workers, Supplier<String> notReady) {
    this.workers = workers;
    this.notReady = notReady;
  }

  public Check live() {
    Map<String, String> stopped = workers.stopped();
    return new Check(stopped.isEmpty(), stopped);
  }

  public Check ready() {
    Check live = live();
    if (!live.up()) {
      return live;
    }
    String why = notReady.get();
    if (why != null) {
      return new Check(false, Map.of("reason", why));
    }
    return new Check(true, Map.of());
  }

  /** SmallRye Health's JSON shape, with {@code data} when there is any. */
  public static Map<String, Object> json(String name, Check c) {
    String status = c.up() ? "UP" : "DOWN";
    Map<String, Object> check = new java.util.LinkedHashMap<>();
    check.put("name", name);
    check.put("status", status);
    if (!c.data().isEmpty()) {
      check.put("data", new TreeMap<>(c.data()));
    }
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("status", status);
    body.put("checks", java.util.List.of(check));
    return body;
  }
}
