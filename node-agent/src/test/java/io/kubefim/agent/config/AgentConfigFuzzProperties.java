package io.kubefim.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.config.ConfigSource.InvalidConfigException;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the agent's config parsing seam ({@link AgentConfigParser}, used by {@link
 * ConfigServiceClient} for config-service's answer and by {@link SavedConfig} for {@code
 * config.json}) with random bytes and mutated AgentConfig JSON: the outcome is a config the engine
 * can run (its rules compile into a {@link RuleSet}) or an {@link InvalidConfigException} naming
 * why; never another exception, never a hang. Seeded (as PlanningProperties).
 */
class AgentConfigFuzzProperties {
  /** Generous: a body parses in milliseconds; only a hang or a blow-up reaches this. */
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  static LongStream seeds() {
    return LongStream.range(0, 300).map(i -> 0xC0F1_0000L + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void anyBodyIsARunnableConfigOrANamedRefusal(long seed) {
    byte[] body = ConfigMutator.input(new Random(seed));
    assertTimeoutPreemptively(
        DEADLINE, () -> checkOne(body, seed), "seed " + seed + ": no outcome in " + DEADLINE);
  }

  private static void checkOne(byte[] body, long seed) {
    AgentConfig config;
    try {
      config = AgentConfigParser.parse(body);
    } catch (InvalidConfigException e) {
      assertThat(e.getMessage()).as("seed %d: the refusal says why", seed).isNotBlank();
      return;
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError(
          "seed " + seed + ": " + e + " for " + new String(body, StandardCharsets.UTF_8), e);
    }
    assertThat(config.version()).as("seed %d", seed).isNotBlank();
    assertThat(config.formatVersion()).as("seed %d", seed).isLessThanOrEqualTo(1);
    RuleSet rules = new RuleSet(config); // throws if a rule does not compile
    long now = System.currentTimeMillis();
    assertThat(now + rules.scanIntervalSeconds() * 1000)
        .as("seed %d: the next scan is in the future", seed)
        .isGreaterThan(now);
    assertThat(rules.debounceMillis()).as("seed %d", seed).isBetween(0L, 3_600_000L);
    for (AgentRule r : config.rules()) {
      assertThat(r.path()).as("seed %d", seed).startsWith("/");
      assertThat(r.maxFileSize()).as("seed %d", seed).isNotNegative();
      assertThat(r.tags().values()).as("seed %d", seed).doesNotContainNull();
    }
  }

  /** The bug the fuzzing found: a glob the engine cannot compile was taken, saved and applied. */
  @Test
  void aRuleWhoseGlobDoesNotCompileIsRefusedNamingTheRule() throws Exception {
    String body =
        Json.mapper()
            .writeValueAsString(
                Fixture.config(Fixture.rule("/etc"), Fixture.rule("/var/lib/[z-a]/x")));
    try {
      AgentConfigParser.parse(body.getBytes(StandardCharsets.UTF_8));
      throw new AssertionError("a reversed character class was taken");
    } catch (InvalidConfigException e) {
      assertThat(e.getMessage()).startsWith("rules[1].path").contains("does not compile");
    }
  }

  @Test
  void aValidConfigIsTakenAsItIs() throws Exception {
    AgentConfig valid = ConfigMutator.valid();
    assertThat(AgentConfigParser.parse(Json.mapper().writeValueAsBytes(valid))).isEqualTo(valid);
  }

  /** Random and mutated AgentConfig JSON; shared with {@link ConfigClientFuzzIT}. */
  static final class ConfigMutator {
    private ConfigMutator() {}

    static AgentConfig valid() {
      AgentRule etc = Fixture.rule("/etc");
      AgentRule conf =
          Fixture.rule("/etc/app/*.conf", false, List.of("*.conf"), List.of("*.swp"), 1 << 20);
      return new AgentConfig(
          AgentConfig.FORMAT_VERSION,
          "v-fuzz",
          "node-a",
          List.of(new AgentConfig.AppliedPolicy("p1", 3)),
          List.of(etc, conf));
    }

    static byte[] input(Random r) {
      String json;
      try {
        json = Json.mapper().writeValueAsString(valid());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return switch (r.nextInt(9)) {
        case 0 -> {
          byte[] b = new byte[r.nextInt(400)];
          r.nextBytes(b);
          yield b;
        }
        case 1 -> flip(r, utf8(json), 1 + r.nextInt(6));
        case 2 -> Arrays.copyOf(utf8(json), r.nextInt(json.length()));
        case 3 -> utf8(replaceValue(r, json, deep(r)));
        case 4 -> utf8(replaceValue(r, json, odd(r)));
        case 5 ->
            utf8(replaceValue(r, json, odd(r)).replace("\"v-fuzz\"", "\"v-" + r.nextInt() + "\""));
        case 6 -> utf8(duplicateKey(r, json));
        case 7 -> insert(r, utf8(json), BAD_UTF8[r.nextInt(BAD_UTF8.length)]);
        default -> {
          String m = json;
          for (int i = 0, n = 2 + r.nextInt(3); i < n; i++) {
            m = replaceValue(r, m, odd(r));
          }
          yield utf8(m.replace("\"v-fuzz\"", "\"v-" + r.nextInt() + "\""));
        }
      };
    }

    private static final byte[][] BAD_UTF8 = {
      {(byte) 0xFF}, {(byte) 0xC3, 0x28}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {0}
    };

    private static byte[] utf8(String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] flip(Random r, byte[] b, int n) {
      byte[] m = b.clone();
      for (int i = 0; i < n; i++) {
        int at = r.nextInt(m.length);
        m[at] = (byte) (m[at] ^ (1 << r.nextInt(8)));
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

    /** Replaces the value of one {@code "name":value} pair (a scalar, or a list of scalars). */
    private static String replaceValue(Random r, String json, String value) {
      Matcher m =
          Pattern.compile("\"[A-Za-z]+\":(\"[^\"]*\"|-?[0-9]+|true|false|\\[[^\\[\\]{}]*\\])")
              .matcher(json);
      List<int[]> spans = new ArrayList<>();
      while (m.find()) {
        spans.add(new int[] {m.start(1), m.end(1)});
      }
      int[] s = spans.get(r.nextInt(spans.size()));
      return json.substring(0, s[0]) + value + json.substring(s[1]);
    }

    private static String deep(Random r) {
      int depth = List.of(5, 999, 1001, 50_000).get(r.nextInt(4));
      String open = r.nextBoolean() ? "[" : "{\"a\":";
      String close = open.equals("[") ? "]" : "}";
      return open.repeat(depth) + "1" + close.repeat(depth);
    }

    private static String odd(Random r) {
      return List.of(
              "null",
              "true",
              "-1",
              "0",
              "1.5",
              "1e400",
              "9".repeat(40),
              "-9223372036854775808",
              "9223372036854775807",
              "\"\"",
              "\"relative/path\"",
              "\"/etc/[z-a]\"",
              "\"/etc/[abc\"",
              "\"/etc/\\\\\"",
              "\"/**/**/**/**/**/**/**/**/**/**/x\"",
              "\"/\"",
              "\"/etc/\\u0000x\"",
              "\"\\ud800\"",
              "\"" + "x".repeat(50_000) + "\"",
              "[]",
              "[null]",
              "[\"\"]",
              "[\"[\"]",
              "[\"NOT_A_HASH\"]",
              "{}",
              "{\"k\":null}",
              "{\"k\":[1]}",
              "2",
              "\"sha256\"")
          .get(r.nextInt(29));
    }

    private static String duplicateKey(Random r, String json) {
      String[] keys = {"version", "rules", "path", "formatVersion", "debounceMillis"};
      String key = keys[r.nextInt(keys.length)];
      int at = json.indexOf("\"" + key + "\":");
      if (at < 0) {
        return json;
      }
      return json.substring(0, at) + "\"" + key + "\":" + odd(r) + "," + json.substring(at);
    }
  }
}
