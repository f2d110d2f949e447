package io.kubefim.ingest.receive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The pure step between parsing and the channel: validates every element, turns the valid ones into
 * {@link FimEvent}s, drops duplicate EventIds (within the batch, and those the caller says were
 * delivered already) and writes the configured enrichment. Thread-safe.
 */
public final class BatchChecker {
  private final EventValidator validator;
  private final Optional<String> azureResourceId;
  private final Optional<String> clusterName;
  private final ObjectMapper mapper = Json.mapper();

  public BatchChecker(
      EventValidator validator, Optional<String> azureResourceId, Optional<String> clusterName) {
    this.validator = validator;
    this.azureResourceId = azureResourceId;
    this.clusterName = clusterName;
  }

  /**
   * The outcome for one batch.
   *
   * @param events valid, new events in batch order, enriched
   * @param rejected the refused elements with every reason
   * @param duplicates valid events dropped because their EventId was seen
   */
  public record Checked(List<FimEvent> events, List<Rejection> rejected, int duplicates) {}

  public Checked check(List<BatchParser.Item> items, Predicate<String> alreadyDelivered) {
    List<FimEvent> events = new ArrayList<>(items.size());
    List<Rejection> rejected = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int duplicates = 0;
    for (BatchParser.Item item : items) {
      if (item.error() != null) {
        rejected.add(new Rejection(item.index(), null, List.of(item.error())));
        continue;
      }
      List<String> problems = validator.problems(item.node());
      if (!problems.isEmpty()) {
        rejected.add(new Rejection(item.index(), eventIdOf(item.node()), problems));
        continue;
      }
      FimEvent event;
      try {
        event = mapper.treeToValue(item.node(), FimEvent.class);
      } catch (Exception e) {
        rejected.add(
            new Rejection(
                item.index(), eventIdOf(item.node()), List.of("unreadable: " + e.getMessage())));
        continue;
      }
      String id = event.getEventId().toLowerCase(java.util.Locale.ROOT);
      event.setEventId(id);
      if (!seen.add(id) || alreadyDelivered.test(id)) {
        duplicates++;
        continue;
      }
      azureResourceId.ifPresent(event::setAzureResourceId);
      clusterName.ifPresent(event::setClusterName);
      events.add(event);
    }
    return new Checked(events, rejected, duplicates);
  }

  private static String eventIdOf(JsonNode node) {
    if (node != null && node.isObject()) {
      JsonNode id = node.get("EventId");
      if (id != null && id.isTextual() && id.textValue().length() <= 64) {
        return id.textValue();
      }
    }
    return null;
  }
}
