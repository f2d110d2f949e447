package io.kubefim.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the policy YAML loader ({@link PolicyFiles}, {@link YamlErrors}, {@link PolicyValidator})
 * with random and mutated YAML made from {@code examples/policies/*.yaml}: YAML bombs (aliases),
 * very deep nesting, tabs, wrong types, duplicate keys, bytes that are not UTF-8. Whatever the
 * input, the outcome is a {@link PolicyLoadResult} whose problems each name a line of the file (and
 * a field where there is one) or valid policies; never an exception, never a hang, never a problem
 * that is only a caught surprise. Seeded (as PlanningProperties): a failure names its seed.
 */
class PolicyFuzzProperties {
  /** Generous: a document loads in milliseconds; only a hang or a blow-up reaches this. */
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  private static final List<String> EXAMPLES = examples();

  @TempDir Path dir;

  static LongStream seeds() {
    return LongStream.range(0, 300).map(i -> 0x9A4D_0000L + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void anyYamlGivesLocatedProblemsOrPolicies(long seed) throws IOException {
    Random r = new Random(seed);
    byte[] bytes = YamlMutator.input(r, EXAMPLES.get(r.nextInt(EXAMPLES.size())));
    Path file = dir.resolve("fuzz-" + seed + ".yaml");
    Files.write(file, bytes);
    PolicyLoadResult result =
        assertTimeoutPreemptively(
            DEADLINE, () -> PolicyFiles.load(file), "seed " + seed + ": no result in " + DEADLINE);
    List<FileProblem> problems =
        assertTimeoutPreemptively(DEADLINE, result::allProblems, "seed " + seed);
    int lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n|\r", -1).length;
    for (FileProblem p : problems) {
      String at = "seed " + seed + ": " + p;
      assertThat(p.source()).as(at).isEqualTo(file.toString());
      assertThat(p.line()).as("%s: a line of the file", at).isBetween(1, lines + 1);
      assertThat(p.fieldPath()).as(at).isNotNull();
      assertThat(p.message()).as(at).isNotBlank();
      assertThat(p.message())
          .as("%s: a problem the loader expected, not a caught surprise", at)
          .doesNotStartWith("cannot be read")
          .doesNotStartWith("cannot be checked")
          .doesNotContain("Exception")
          .doesNotContain("unreadable");
    }
    if (problems.isEmpty()) {
      assertThat(result.validPolicies()).as("seed %d", seed).isEqualTo(result.policies());
    }
  }

  /** Valid documents, a starting point for mutations. */
  private static List<String> examples() {
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files =
        Stream.concat(
            Files.list(Path.of("..", "examples", "policies")),
            Files.list(Path.of("..", "examples", "policies", "local")))) {
      for (Path f : files.filter(PolicyFiles::isPolicyFileName).sorted().toList()) {
        texts.add(Files.readString(f));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(texts).as("example policies").isNotEmpty();
    return texts;
  }

  /** Random and mutated YAML. */
  static final class YamlMutator {
    private YamlMutator() {}

    static byte[] input(Random r, String valid) {
      int strategy = r.nextInt(12);
      return switch (strategy) {
        case 0 -> {
          if (r.nextBoolean()) {
            byte[] b = new byte[r.nextInt(500)];
            r.nextBytes(b);
            yield b;
          }
          StringBuilder b = new StringBuilder();
          for (int i = 0, n = r.nextInt(500); i < n; i++) {
            b.append(
                r.nextInt(3) == 0
                    ? PUNCT.charAt(r.nextInt(PUNCT.length()))
                    : (char) ('a' + r.nextInt(26)));
          }
          yield utf8(b.toString());
        }
        case 1 -> utf8(flipChars(r, valid, 1 + r.nextInt(10)));
        case 2 -> utf8(valid.substring(0, r.nextInt(valid.length())));
        case 3 -> utf8(lineMutations(r, valid, 1 + r.nextInt(4)));
        case 4 -> utf8(replaceValue(r, valid, bomb(r)));
        case 5 -> utf8(replaceValue(r, valid, deep(r)));
        case 6 -> utf8(replaceValue(r, valid, odd(r)));
        case 7 -> utf8(duplicateKey(r, valid));
        case 8 -> notUtf8(r, valid);
        case 9 -> utf8(valid + "\n---\n" + lineMutations(r, valid, 2) + "\n...\n" + valid);
        case 10 -> utf8(valid.replace("  ", "\t"));
        default -> {
          String m = valid;
          for (int i = 0, n = 2 + r.nextInt(3); i < n; i++) {
            m = new String(input(r, m), StandardCharsets.UTF_8);
          }
          yield utf8(m);
        }
      };
    }

    private static byte[] utf8(String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final String PUNCT = ":-[]{}&*!|>'\"%@`#,? \t\n";

    private static String flipChars(Random r, String s, int n) {
      StringBuilder b = new StringBuilder(s);
      for (int i = 0; i < n && b.length() > 0; i++) {
        int at = r.nextInt(b.length());
        switch (r.nextInt(3)) {
          case 0 -> b.setCharAt(at, PUNCT.charAt(r.nextInt(PUNCT.length())));
          case 1 -> b.deleteCharAt(at);
          default -> b.insert(at, (char) r.nextInt(0x3000));
        }
      }
      return b.toString();
    }

    private static String lineMutations(Random r, String s, int n) {
      List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
      for (int i = 0; i < n && !lines.isEmpty(); i++) {
        int at = r.nextInt(lines.size());
        switch (r.nextInt(6)) {
          case 0 -> lines.remove(at);
          case 1 -> lines.add(at, lines.get(r.nextInt(lines.size())));
          case 2 -> lines.set(at, "  ".repeat(r.nextInt(4)) + lines.get(at));
          case 3 -> lines.set(at, lines.get(at).stripLeading());
          case 4 -> lines.set(at, "\t" + lines.get(at));
          default -> lines.add(at, r.nextBoolean() ? "---" : "...");
        }
      }
      return String.join("\n", lines);
    }

    /** Replaces the value after one {@code key:} with {@code value}. */
    private static String replaceValue(Random r, String yaml, String value) {
      List<Integer> colons = new ArrayList<>();
      String[] lines = yaml.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].matches("\\s*-?\\s*[A-Za-z]+:.*")) {
          colons.add(i);
        }
      }
      if (colons.isEmpty()) {
        return yaml + "\n" + value;
      }
      int i = colons.get(r.nextInt(colons.size()));
      String line = lines[i];
      lines[i] = line.substring(0, line.indexOf(':') + 1) + " " + value;
      return String.join("\n", lines);
    }

    /** Billion laughs: nine levels of ten aliases each, in flow style on one line. */
    private static String bomb(Random r) {
      int levels = 3 + r.nextInt(7);
      StringBuilder b = new StringBuilder("[&a0 lol");
      for (int l = 1; l <= levels; l++) {
        b.append(", &a").append(l).append(" [");
        for (int k = 0; k < 10; k++) {
          b.append(k == 0 ? "" : ", ").append("*a").append(l - 1);
        }
        b.append(']');
      }
      return b.append(", *a")
          .append(levels)
          .append(r.nextBoolean() ? ", *undefined" : "")
          .append(']')
          .toString();
    }

    private static String deep(Random r) {
      int depth = List.of(10, 60, 1000, 1001, 20_000).get(r.nextInt(5));
      boolean maps = r.nextBoolean();
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < depth; i++) {
        b.append(maps ? "{a: " : "[");
      }
      b.append("x");
      for (int i = 0; i < depth; i++) {
        b.append(maps ? "}" : "]");
      }
      return b.toString();
    }

    private static String odd(Random r) {
      return List.of(
              "~",
              "null",
              "[]",
              "{}",
              "[~]",
              "[[/etc]]",
              "{paths: 5}",
              "1e999999",
              "99999999999999999999999999999Ti",
              "-1",
              "0x7fffffffffffffff",
              ".nan",
              "yes",
              "!!binary aGVsbG8=",
              "!!python/object:os.system ls",
              "!custom tag",
              "!!map {a: b}",
              "&anchor /etc",
              "*dangling",
              "<<: *base",
              "|\n  block\n  text",
              ">-\n  folded",
              "\"\\ud800\"",
              "\"" + "x".repeat(100_000) + "\"",
              "'unterminated",
              "[/etc/[z-a], /etc/\\, '/etc/**/**/**/**/**/**/**/**/**/x']",
              "? complex key\n  : value",
              "%YAML 1.1",
              "\u0000",
              "\ufeffbom")
          .get(r.nextInt(30));
    }

    private static String duplicateKey(Random r, String yaml) {
      String[] keys = {"spec", "metadata", "name", "rules", "paths", "kind"};
      String key = keys[r.nextInt(keys.length)];
      int at = yaml.indexOf("\n" + key + ":");
      if (at < 0) {
        at = yaml.indexOf(key + ":");
      }
      if (at < 0) {
        return yaml + "\n" + key + ": x\n" + key + ": y\n";
      }
      int eol = yaml.indexOf('\n', at + 1);
      String line = eol < 0 ? yaml.substring(at) : yaml.substring(at, eol);
      return yaml + line + "\n" + line + "\n";
    }

    private static byte[] notUtf8(Random r, String valid) {
      byte[] b = utf8(valid);
      byte[][] bad = {
        {(byte) 0xFF},
        {(byte) 0xC3, 0x28},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xFE, (byte) 0xFF, 0, 'a'},
        {(byte) 0xC0, (byte) 0xAF}
      };
      byte[] what = bad[r.nextInt(bad.length)];
      int at = r.nextInt(b.length + 1);
      byte[] out = new byte[b.length + what.length];
      System.arraycopy(b, 0, out, 0, at);
      System.arraycopy(what, 0, out, at, what.length);
      System.arraycopy(b, at, out, at + what.length, b.length - at);
      return out;
    }
  }
}
