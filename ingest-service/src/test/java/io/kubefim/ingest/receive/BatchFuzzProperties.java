package io.kubefim.ingest.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.ingest.testing.TestEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the way in of {@code POST /v1/events} below HTTP: {@link BodyReader} (gzip), {@link
 * BatchParser} (JSON array, NDJSON) and {@link BatchChecker} (validation) get random bytes and
 * mutated valid batches. Whatever the input, the outcome is a refusal of the whole body with a
 * reason ({@link MalformedBodyException} = 400, {@link BodyTooLargeException} = 413) or a result in
 * which every element is an event or a rejection with named reasons; never another exception, never
 * a hang. Seeded (as PlanningProperties): a failure names its seed and reproduces exactly.
 */
class BatchFuzzProperties {
  /** Generous: an input parses in milliseconds; only a hang or a blow-up reaches this. */
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  private final BodyReader reader = new BodyReader(4 * 1024 * 1024);
  private final BatchParser parser = new BatchParser(5000);
  private final BatchChecker checker =
      new BatchChecker(new EventValidator(16384, 16384), Optional.empty(), Optional.empty());

  static LongStream seeds() {
    return LongStream.range(0, 300).map(i -> 0xF022_0000L + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void anyBodyIsRefusedWithAReasonOrCheckedElementByElement(long seed) {
    Input in = BatchMutator.input(new Random(seed));
    assertTimeoutPreemptively(
        DEADLINE, () -> checkOne(in, seed), "seed " + seed + ": no outcome within " + DEADLINE);
  }

  private void checkOne(Input in, long seed) {
    List<BatchParser.Item> items;
    try {
      byte[] body = reader.read(new ByteArrayInputStream(in.bytes()), in.gzip());
      items = parser.parse(body, in.format());
    } catch (MalformedBodyException | BodyTooLargeException e) {
      assertThat(e.getMessage()).as("seed %d: the refusal says why", seed).isNotBlank();
      return;
    } catch (Exception | StackOverflowError e) {
      throw new AssertionError("seed " + seed + " (" + in + "): unexpected " + e, e);
    }
    assertThat(items).as("seed %d: a batch that parsed has elements", seed).isNotEmpty();
    BatchChecker.Checked checked;
    try {
      checked = checker.check(items, id -> false);
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError("seed " + seed + " (" + in + "): check threw " + e, e);
    }
    assertThat(checked.events().size() + checked.rejected().size() + checked.duplicates())
        .as("seed %d: every element is accounted for", seed)
        .isEqualTo(items.size());
    for (Rejection r : checked.rejected()) {
      assertThat(r.index()).as("seed %d", seed).isBetween(0, items.size() - 1);
      assertThat(r.reasons()).as("seed %d: a rejection has reasons", seed).isNotEmpty();
      for (String reason : r.reasons()) {
        boolean named = reason != null && (reason.contains(":") || reason.startsWith("expected a"));
        if (!named || reason.isBlank()) {
          fail("seed %d (%s): reason without a field or line: %s", seed, in, reason);
        }
      }
    }
    for (var e : checked.events()) {
      assertThat(e.getEventId()).as("seed %d: a taken event has its id", seed).isNotBlank();
    }
  }

  /** One fuzz input: the bytes on the wire, whether they claim gzip, and the Content-Type. */
  record Input(byte[] bytes, boolean gzip, BatchFormat format, String how) {
    @Override
    public String toString() {
      return how + ", " + bytes.length + " bytes, " + format + (gzip ? ", gzip" : "");
    }
  }

  /** Random and mutated batches; shared with {@link MutatedBodiesIT}. */
  static final class BatchMutator {
    private BatchMutator() {}

    static Input input(Random r) {
      BatchFormat format = r.nextBoolean() ? BatchFormat.JSON_ARRAY : BatchFormat.NDJSON;
      int strategy = r.nextInt(10);
      String how;
      byte[] plain;
      if (strategy == 0) {
        how = "random bytes";
        plain = new byte[r.nextInt(600)];
        r.nextBytes(plain);
      } else {
        String valid = validBatch(r, format);
        how = strategyName(strategy);
        plain = mutate(r, strategy, valid);
      }
      int wire = r.nextInt(8);
      if (wire == 0) {
        return new Input(gzip(plain), true, format, how + ", gzipped");
      }
      if (wire == 1) {
        return new Input(brokenGzip(r, gzip(plain)), true, format, how + ", broken gzip");
      }
      if (wire == 2) {
        return new Input(plain, true, format, how + ", claims gzip");
      }
      return new Input(plain, false, format, how);
    }

    static String validBatch(Random r, BatchFormat format) {
      List<ObjectNode> events = new ArrayList<>();
      int n = 1 + r.nextInt(3);
      for (int i = 0; i < n; i++) {
        events.add(
            switch (r.nextInt(3)) {
              case 0 -> TestEvents.file("node-" + i, "/etc/app/f" + i + ".conf");
              case 1 -> TestEvents.attributed("node-" + i, "/usr/bin/x" + i);
              default -> TestEvents.agent("node-" + i, "AgentStarted");
            });
      }
      return format == BatchFormat.JSON_ARRAY
          ? TestEvents.array(events)
          : TestEvents.ndjson(events);
    }

    private static String strategyName(int s) {
      return switch (s) {
        case 1 -> "bytes flipped";
        case 2 -> "cut short";
        case 3 -> "deep nesting";
        case 4 -> "huge numbers";
        case 5 -> "wrong types";
        case 6 -> "duplicate keys";
        case 7 -> "invalid UTF-8";
        case 8 -> "tokens spliced in";
        default -> "several mutations";
      };
    }

    private static byte[] mutate(Random r, int strategy, String valid) {
      byte[] b = valid.getBytes(StandardCharsets.UTF_8);
      return switch (strategy) {
        case 1 -> flip(r, b, 1 + r.nextInt(8));
        case 2 -> java.util.Arrays.copyOf(b, r.nextInt(b.length));
        case 3 -> replaceValue(r, valid, deep(r)).getBytes(StandardCharsets.UTF_8);
        case 4 -> replaceValue(r, valid, hugeNumber(r)).getBytes(StandardCharsets.UTF_8);
        case 5 -> replaceValue(r, valid, wrongType(r)).getBytes(StandardCharsets.UTF_8);
        case 6 -> duplicateKey(r, valid).getBytes(StandardCharsets.UTF_8);
        case 7 -> insert(r, b, INVALID_UTF8[r.nextInt(INVALID_UTF8.length)]);
        case 8 -> insert(r, b, TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
        default -> {
          byte[] m = b;
          for (int i = 0, n = 2 + r.nextInt(3); i < n; i++) {
            m = mutate(r, 1 + r.nextInt(8), new String(m, StandardCharsets.UTF_8));
          }
          yield m;
        }
      };
    }

    private static final byte[][] INVALID_UTF8 = {
      {(byte) 0xC3, 0x28},
      {(byte) 0xFF},
      {(byte) 0xFE, (byte) 0xFF},
      {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a lone surrogate
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // past U+10FFFF
      {(byte) 0xE2, (byte) 0x82}, // cut sequence
      {0x00},
      {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF} // a BOM mid-stream
    };

    private static final String[] TOKENS = {
      "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "null", "true", "NaN",
      "Infinity", "-", "1e", "0x10", "//", "/*", "'", "\n", "\r\n", "\t", "{}", "[]", "\"\":",
    };

    private static byte[] flip(Random r, byte[] b, int n) {
      byte[] m = b.clone();
      for (int i = 0; i < n && m.length > 0; i++) {
        int at = r.nextInt(m.length);
        m[at] = r.nextBoolean() ? (byte) r.nextInt(256) : (byte) (m[at] ^ (1 << r.nextInt(8)));
      }
      return m;
    }

    private static byte[] insert(Random r, byte[] b, byte[] what) {
      int at = r.nextInt(b.length + 1);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(b, 0, at);
      out.writeBytes(what);
      out.write(b, at, b.length - at);
      return out.toByteArray();
    }

    /** Replaces the value of one field (a {@code "Name":value} pair) with {@code value}. */
    private static String replaceValue(Random r, String json, String value) {
      List<int[]> spans = new ArrayList<>();
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile(
                  "\"[A-Za-z]+\":(\"[^\"]*\"|-?[0-9]+|\\[[^\\]]*\\]|\\{[^}]*\\})")
              .matcher(json);
      while (m.find()) {
        spans.add(new int[] {m.start(1), m.end(1)});
      }
      if (spans.isEmpty()) {
        return json + value;
      }
      int[] s = spans.get(r.nextInt(spans.size()));
      return json.substring(0, s[0]) + value + json.substring(s[1]);
    }

    private static String deep(Random r) {
      int depth = List.of(8, 15, 16, 17, 100, 5000, 100_000).get(r.nextInt(7));
      boolean arrays = r.nextBoolean();
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < depth; i++) {
        b.append(arrays ? "[" : "{\"a\":");
      }
      b.append('1');
      for (int i = 0; i < depth; i++) {
        b.append(arrays ? "]" : "}");
      }
      return b.toString();
    }

    private static String hugeNumber(Random r) {
      return switch (r.nextInt(8)) {
        case 0 -> "9".repeat(1 + r.nextInt(5000));
        case 1 -> "-" + "9".repeat(30);
        case 2 -> "1e" + r.nextInt(Integer.MAX_VALUE);
        case 3 -> "1e-999999999";
        case 4 -> "0." + "0".repeat(2000) + "1";
        case 5 -> Long.toString(Long.MIN_VALUE);
        case 6 -> "9223372036854775808";
        default -> "-0.0";
      };
    }

    private static String wrongType(Random r) {
      return List.of(
              "null",
              "true",
              "42",
              "-1",
              "1.5",
              "\"\"",
              "\"x\"",
              "[]",
              "[null]",
              "[1,2]",
              "{}",
              "{\"\":null}",
              "\"" + "x".repeat(20_000) + "\"",
              "\"/a/../b\"",
              "\"/a\\u0000b\"",
              "\"2024-13-45T99:99:99Z\"",
              "\"+999999999-12-31T23:59:59.999999999-18:00\"",
              "\"\\ud800\"")
          .get(r.nextInt(18));
    }

    private static String duplicateKey(Random r, String json) {
      String[] keys = {"EventId", "TimeGenerated", "ChangeType", "FilePath", "Tags", "FileSize"};
      String key = keys[r.nextInt(keys.length)];
      int at = json.indexOf('{');
      if (at < 0) {
        return json;
      }
      String dup = "\"" + key + "\":" + wrongType(r) + ",";
      return json.substring(0, at + 1) + dup + json.substring(at + 1);
    }

    static byte[] gzip(byte[] plain) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
        gz.write(plain);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    private static byte[] brokenGzip(Random r, byte[] gz) {
      return switch (r.nextInt(4)) {
        case 0 -> java.util.Arrays.copyOf(gz, r.nextInt(gz.length));
        case 1 -> flip(r, gz, 1 + r.nextInt(4));
        case 2 -> insert(r, gz, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0});
        default -> {
          byte[] twice = new byte[gz.length * 2];
          System.arraycopy(gz, 0, twice, 0, gz.length);
          System.arraycopy(flip(r, gz, 2), 0, twice, gz.length, gz.length);
          yield twice;
        }
      };
    }
  }
}
