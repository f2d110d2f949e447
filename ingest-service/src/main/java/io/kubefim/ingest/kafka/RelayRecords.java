package io.kubefim.ingest.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import io.kubefim.ingest.receive.EventValidator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The pure step of the relay: records polled from the topic to the events the sinks get. A record
 * whose value is not a valid event (not JSON, not an object, fails the receiver's validation) is
 * set apart as {@link Malformed} with its position, never delivered and never blocking the rest.
 * EventIds seen twice (a producer retry, an agent retry after a 503) are delivered once, and those
 * {@code alreadyDelivered} says were delivered before are dropped.
 */
final class RelayRecords {
  private static final ObjectMapper MAPPER = Json.mapper();

  private RelayRecords() {}

  /** A record that is not an event, with where it is and why. */
  record Malformed(String topic, int partition, long offset, String reason) {}

  /**
   * @param events what goes to the sinks, in record order
   * @param malformed what does not
   * @param duplicates records dropped as already seen
   */
  record Parsed(List<FimEvent> events, List<Malformed> malformed, int duplicates) {}

  static Parsed parse(
      Iterable<ConsumerRecord<String, String>> records,
      EventValidator validator,
      Predicate<String> alreadyDelivered) {
    List<FimEvent> events = new ArrayList<>();
    List<Malformed> malformed = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int duplicates = 0;
    for (ConsumerRecord<String, String> r : records) {
      FimEvent event;
      try {
        if (r.value() == null) {
          throw new IllegalArgumentException("no value (tombstone)");
        }
        JsonNode node = MAPPER.readTree(r.value());
        List<String> problems = validator.problems(node);
        if (!problems.isEmpty()) {
          throw new IllegalArgumentException(String.join("; ", problems));
        }
        event = MAPPER.treeToValue(node, FimEvent.class);
      } catch (Exception e) { // Jackson's and ours: the record is not an event
        malformed.add(new Malformed(r.topic(), r.partition(), r.offset(), reason(e)));
        continue;
      }
      if (!ids.add(event.getEventId()) || alreadyDelivered.test(event.getEventId())) {
        duplicates++;
        continue;
      }
      events.add(event);
    }
    return new Parsed(events, malformed, duplicates);
  }

  private static String reason(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }
}
