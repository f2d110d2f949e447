package io.kubefim.ingest.receive;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a decompressed body into one JSON tree per event. A JSON array that is not well-formed
 * fails as a whole ({@link MalformedBodyException}); in NDJSON a broken line fails alone and the
 * other lines go on. Pure and thread-safe.
 */
public final class BatchParser {
  /** Events are flat; deeper nesting than this is refused before it costs stack. */
  static final int MAX_NESTING = 16;

  private final ObjectMapper mapper;
  private final int maxEvents;

  public BatchParser(int maxEvents) {
    this.maxEvents = maxEvents;
    this.mapper = Json.newMapper();
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build());
  }

  /** One element of the batch: a tree, or why the element could not be read. */
  public record Item(int index, JsonNode node, String error) {}

  public List<Item> parse(byte[] body, BatchFormat format)
      throws MalformedBodyException, BodyTooLargeException {
    if (isBlank(body)) {
      throw new MalformedBodyException("empty body: expected a batch of events");
    }
    List<Item> items = format == BatchFormat.JSON_ARRAY ? parseArray(body) : parseLines(body);
    if (items.isEmpty()) {
      throw new MalformedBodyException("the batch holds no events");
    }
    return items;
  }

  private List<Item> parseArray(byte[] body) throws MalformedBodyException, BodyTooLargeException {
    List<Item> items = new ArrayList<>();
    try (JsonParser p = mapper.getFactory().createParser(body)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new MalformedBodyException(
            "expected a JSON array of events (Content-Type application/json), or send NDJSON"
                + " with Content-Type application/x-ndjson");
      }
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw new MalformedBodyException("JSON array not closed");
        }
        if (items.size() == maxEvents) {
          throw new BodyTooLargeException("more than " + maxEvents + " events in one batch");
        }
        JsonNode node = mapper.readTree(p);
        items.add(new Item(items.size(), node, null));
      }
      if (p.nextToken() != null) {
        throw new MalformedBodyException("content after the end of the JSON array");
      }
    } catch (JsonProcessingException e) {
      throw new MalformedBodyException("not valid JSON: " + e.getOriginalMessage() + where(e));
    } catch (IOException e) {
      throw new MalformedBodyException("unreadable body: " + e.getMessage());
    }
    return items;
  }

  private List<Item> parseLines(byte[] body) throws BodyTooLargeException {
    List<Item> items = new ArrayList<>();
    int start = 0;
    int line = 0;
    for (int i = 0; i <= body.length; i++) {
      if (i == body.length || body[i] == '\n') {
        line++;
        int end = i;
        if (end > start && body[end - 1] == '\r') {
          end--;
        }
        String text = new String(body, start, end - start, StandardCharsets.UTF_8);
        start = i + 1;
        if (text.isBlank()) {
          continue;
        }
        if (items.size() == maxEvents) {
          throw new BodyTooLargeException("more than " + maxEvents + " events in one batch");
        }
        items.add(parseLine(items.size(), line, text));
      }
    }
    return items;
  }

  private Item parseLine(int index, int line, String text) {
    try (JsonParser p = mapper.getFactory().createParser(text)) {
      JsonNode node = mapper.readTree(p);
      if (p.nextToken() != null) {
        return new Item(index, null, "line " + line + ": more than one JSON value on the line");
      }
      return new Item(index, node, null);
    } catch (JsonProcessingException e) {
      return new Item(index, null, "line " + line + ": not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return new Item(index, null, "line " + line + ": unreadable: " + e.getMessage());
    }
  }

  private static String where(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr();
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }
}
