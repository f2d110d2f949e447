package io.kubefim.ingest.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@code MaintenanceWindowClosed} event's Details say (issue 17): {@code {policy, window,
 * opened, closed, changes, byChangeType: {type: n}, byDirectory: {dir: n}, otherDirectories?: n}},
 * as the agent writes them. Read leniently: a missing or malformed part is left out, so an older or
 * newer agent's summary still shows what it has. Every string here came from a node: the template
 * escapes it. Pure.
 *
 * @param otherDirectories changes in directories the agent did not list one by one (0 when none)
 */
public record WindowSummary(
    String policy,
    String window,
    String opened,
    String closed,
    Long changes,
    List<Count> byDirectory,
    List<Count> byChangeType,
    long otherDirectories) {

  /** One line of a count table. */
  public record Count(String name, long count) {}

  /** The summary in {@code details}; empty when it is not a JSON object. */
  static Optional<WindowSummary> parse(String details) {
    if (details == null || details.isBlank()) {
      return Optional.empty();
    }
    JsonNode d;
    try {
      d = Json.mapper().readTree(details);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (d == null || !d.isObject()) {
      return Optional.empty();
    }
    return Optional.of(
        new WindowSummary(
            text(d, "policy"),
            text(d, "window"),
            text(d, "opened"),
            text(d, "closed"),
            d.path("changes").isIntegralNumber() ? d.get("changes").longValue() : null,
            counts(d.get("byDirectory")),
            counts(d.get("byChangeType")),
            d.path("otherDirectories").isIntegralNumber()
                ? d.get("otherDirectories").longValue()
                : 0));
  }

  private static String text(JsonNode d, String field) {
    JsonNode v = d.get(field);
    return v != null && v.isValueNode() && !v.isNull() ? v.asText() : "";
  }

  /** The object's number fields in their order (the agent writes the biggest first). */
  private static List<Count> counts(JsonNode o) {
    List<Count> out = new ArrayList<>();
    if (o == null || !o.isObject()) {
      return out;
    }
    Iterator<Map.Entry<String, JsonNode>> it = o.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isIntegralNumber()) {
        out.add(new Count(e.getKey(), e.getValue().longValue()));
      }
    }
    return out;
  }
}
