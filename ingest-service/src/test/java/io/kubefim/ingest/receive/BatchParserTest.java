package io.kubefim.ingest.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubefim.ingest.testing.TestEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class BatchParserTest {
  private final BatchParser parser = new BatchParser(3);

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void ndjsonSkipsBlankLinesAndKeepsBrokenOnesApart() throws Exception {
    List<BatchParser.Item> items =
        parser.parse(b("{\"a\":1}\r\n\n{x\n{\"b\":2} {\"c\":3}\n"), BatchFormat.NDJSON);
    assertThat(items).hasSize(3);
    assertThat(items.get(0).node().get("a").asInt()).isEqualTo(1);
    assertThat(items.get(1).error()).startsWith("line 3: not valid JSON");
    assertThat(items.get(2).error()).startsWith("line 4: more than one JSON value");
  }

  @Test
  void limitsAndShapes() {
    assertThatThrownBy(() -> parser.parse(b("[{},{},{},{}]"), BatchFormat.JSON_ARRAY))
        .isInstanceOf(BodyTooLargeException.class);
    assertThatThrownBy(() -> parser.parse(b("{}\n{}\n{}\n{}"), BatchFormat.NDJSON))
        .isInstanceOf(BodyTooLargeException.class);
    assertThatThrownBy(() -> parser.parse(b("[{}"), BatchFormat.JSON_ARRAY))
        .isInstanceOf(MalformedBodyException.class);
    assertThatThrownBy(() -> parser.parse(b("\n\n"), BatchFormat.NDJSON))
        .hasMessageContaining("empty body");
  }

  @Test
  void contentTypes() {
    assertThat(BatchFormat.of("application/json; charset=utf-8")).contains(BatchFormat.JSON_ARRAY);
    assertThat(BatchFormat.of("Application/X-NDJSON")).contains(BatchFormat.NDJSON);
    assertThat(BatchFormat.of("text/plain")).isEmpty();
    assertThat(BatchFormat.of(null)).isEmpty();
  }

  @Test
  void checkerDedupsEnrichesAndLowercasesIds() throws Exception {
    var a = TestEvents.file("n1", "/etc/a");
    a.put("EventId", a.get("EventId").asText().toUpperCase());
    var b = TestEvents.file("n1", "/etc/b");
    var items =
        new BatchParser(10).parse(b(TestEvents.array(List.of(a, b, a))), BatchFormat.JSON_ARRAY);
    String seenBefore = b.get("EventId").asText();
    Predicate<String> delivered = seenBefore::equals;
    BatchChecker checker =
        new BatchChecker(
            new EventValidator(4096, 16384),
            java.util.Optional.of("/sub/x"),
            java.util.Optional.empty());
    BatchChecker.Checked c = checker.check(items, delivered);
    assertThat(c.events()).hasSize(1);
    assertThat(c.duplicates()).isEqualTo(2);
    assertThat(c.events().get(0).getEventId()).isEqualTo(a.get("EventId").asText().toLowerCase());
    assertThat(c.events().get(0).getAzureResourceId()).isEqualTo("/sub/x");
  }

  @Test
  void bodyReaderStopsAtTheLimit() {
    BodyReader reader = new BodyReader(1000);
    byte[] zipped = TestEvents.gzip("x".repeat(5000));
    assertThatThrownBy(() -> reader.read(new java.io.ByteArrayInputStream(zipped), true))
        .isInstanceOf(BodyTooLargeException.class);
  }

  @Test
  void bodyReaderChargesADeclaredLengthBeforeReadingAndTheRunningTotalAfter() throws Exception {
    BodyReader reader = new BodyReader(1000);
    java.util.List<Long> charged = new java.util.ArrayList<>();
    java.io.InputStream unread =
        new java.io.InputStream() {
          @Override
          public int read() {
            throw new AssertionError("read although the declared length was over budget");
          }
        };
    assertThatThrownBy(() -> reader.read(unread, false, 5000, bytes -> charged.add(bytes) && false))
        .isInstanceOf(BodyOverBudgetException.class);
    assertThat(charged).containsExactly(1000L); // capped at the largest body read
    charged.clear();
    byte[] body =
        reader.read(new java.io.ByteArrayInputStream(b("x".repeat(600))), false, 600, charged::add);
    assertThat(body).hasSize(600);
    assertThat(charged).containsExactly(600L, 600L);
  }
}
