package io.kubefim.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubefim.agent.RawNames;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a process with no locale at all (LANG, LC_ALL and every LC_* unset, as in many
 * containers: the JDK then encodes paths as ASCII) on names that are not UTF-8 and a valid
 * non-ASCII one, in a rule root too. Before the fix, a deleted {@code café} crashed {@code check}
 * with InvalidPathException, and {@code bad\xff}/{@code bad\xfe} collided.
 */
class NonUtf8NamesIT {
  @TempDir Path tmp;
  Path host;
  Path policies;
  Path state;
  Path app;

  @BeforeEach
  void setUp() throws IOException {
    host = Files.createDirectories(tmp.resolve("host"));
    policies = Files.createDirectories(tmp.resolve("policies"));
    state = tmp.resolve("state");
    app = Files.createDirectories(host.resolve("etc/app"));
    RawNames.write(app, "bad%FF", "ff");
    RawNames.write(app, "bad%FE", "fe");
    RawNames.write(app, "caf%C3%A9", "cafe");
    RawNames.write(app, "back%5Cxff", "literal backslash");
    RawNames.write(RawNames.at(host, "srv%C3%A9"), "f", "in a non-ASCII rule root");
    Files.writeString(
        policies.resolve("p.yaml"),
        "apiVersion: kubefim.io/v1alpha1\nkind: FimPolicy\nmetadata: {name: p}\nspec:\n"
            + "  rules:\n    - paths: [/etc/app, /srvé]\n",
        StandardCharsets.UTF_8);
  }

  ProcessBuilder agent(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("kubefim.test.java", "java"));
    cmd.add("-Xmx64m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(AgentMain.class.getName());
    cmd.addAll(List.of(args));
    return noLocale(new ProcessBuilder(cmd));
  }

  static ProcessBuilder noLocale(ProcessBuilder pb) {
    pb.environment().keySet().removeIf(k -> k.equals("LANG") || k.startsWith("LC_"));
    pb.environment().remove("LANGUAGE");
    return pb;
  }

  /** What {@code check} printed and its exit code. */
  record Checked(int exit, List<JsonNode> events, String stderr) {
    List<String> files() {
      return events.stream()
          .filter(e -> e.path("MonitoredEntityType").asText().equals("File"))
          .map(e -> e.path("ChangeType").asText() + " " + e.path("FilePath").asText())
          .toList();
    }
  }

  Checked check() throws Exception {
    Path out = tmp.resolve("out.ndjson");
    Path err = tmp.resolve("err.log");
    Process p =
        agent(
                "check",
                "--state",
                state.toString(),
                "--policies",
                policies.toString(),
                "--host-root",
                host.toString(),
                "--node",
                "n1")
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Checked(p.exitValue(), read(out), Files.readString(err));
  }

  static List<JsonNode> read(Path out) throws IOException {
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        events.add(Json.mapper().readTree(line));
      }
    }
    return events;
  }

  @Test
  void theChildReallyHasNoLocale() throws Exception {
    Process p =
        noLocale(
                new ProcessBuilder(
                    System.getProperty("kubefim.test.java", "java"),
                    "-XshowSettings:properties",
                    "-version"))
            .redirectErrorStream(true)
            .start();
    String settings = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    assertThat(settings).contains("sun.jnu.encoding = ").doesNotContain("sun.jnu.encoding = UTF-8");
  }

  @Test
  void checkWithoutALocaleKeepsEveryNameApartAndDoesNotCrash() throws Exception {
    Checked first = check();
    assertThat(first.exit()).as(first.stderr()).isZero();
    // /etc/app and its four names, /srvé and its file: seven entries, none collided
    assertThat(first.events())
        .singleElement()
        .satisfies(e -> assertThat(e.path("Details").asText()).startsWith("baseline of 7 entries"));

    Checked unchanged = check();
    assertThat(unchanged.exit()).as(unchanged.stderr()).isZero();
    assertThat(unchanged.events()).isEmpty();

    Files.writeString(RawNames.at(app, "bad%FF"), "changed");
    Files.delete(RawNames.at(app, "caf%C3%A9"));
    RawNames.write(app, "new%FE", "n");
    Files.writeString(RawNames.at(host, "srv%C3%A9").resolve("f"), "changed too");
    Checked changed = check();
    assertThat(changed.stderr()).doesNotContain("Exception");
    assertThat(changed.exit())
        .isEqualTo(ExitCodes.CREATED | ExitCodes.DELETED | ExitCodes.MODIFIED);
    assertThat(changed.files())
        .containsExactlyInAnyOrder(
            "Modified /etc/app/bad\\xff",
            "Deleted /etc/app/café",
            "Created /etc/app/new\\xfe",
            "Modified /srvé/f");
    assertThat(check().events()).isEmpty();
  }

  @Test
  void runWithoutALocaleWatchesAndReportsSuchNames() throws Exception {
    Path out = tmp.resolve("events.ndjson");
    Process p =
        agent(
                "run",
                "--state",
                state.toString(),
                "--policies",
                policies.toString(),
                "--host-root",
                host.toString(),
                "--output",
                out.toString(),
                "--http-port",
                "0",
                "--node",
                "n1")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("agent.log").toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.exists(out) && Files.readString(out).contains("BaselineCreated"));
      Files.writeString(RawNames.at(app, "bad%FF"), "written");
      Files.writeString(RawNames.at(host, "srv%C3%A9").resolve("f"), "written"); // watched by bytes
      RawNames.write(app, "n%80", "n");
      List<String> expected =
          List.of("Modified /etc/app/bad\\xff", "Modified /srvé/f", "Created /etc/app/n\\x80");
      await().atMost(Duration.ofSeconds(30)).until(() -> fileEvents(out).containsAll(expected));
      assertThat(fileEvents(out)).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(p.isAlive()).isTrue();
    } finally {
      p.destroy();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.readString(tmp.resolve("agent.log"))).doesNotContain("Exception");
  }

  static List<String> fileEvents(Path out) throws IOException {
    return new Checked(0, read(out), "").files();
  }
}
