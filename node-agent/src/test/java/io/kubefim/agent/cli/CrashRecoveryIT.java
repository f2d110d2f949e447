package io.kubefim.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a real child process, killed with SIGKILL in the middle of a burst of changes and
 * restarted on the same state: every change is reported at least once across both runs.
 */
class CrashRecoveryIT {
  @TempDir Path tmp;

  Process start(Path host, Path policies, Path state, Path out) throws IOException {
    String java = System.getProperty("kubefim.test.java", "java");
    return new ProcessBuilder(
            java,
            "-Xmx64m",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            AgentMain.class.getName(),
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
            "crash")
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve("agent-" + out.getFileName() + ".log").toFile())
        .start();
  }

  static List<JsonNode> read(Path out) throws IOException {
    List<JsonNode> events = new ArrayList<>();
    if (!Files.exists(out)) {
      return events;
    }
    for (String line : Files.readAllLines(out)) {
      if (!line.isBlank()) {
        try {
          events.add(Json.mapper().readTree(line));
        } catch (IOException e) {
          // a line cut by SIGKILL mid-write: its event is still in the outbox and comes again
        }
      }
    }
    return events;
  }

  static boolean has(List<JsonNode> events, String type, String path) {
    return events.stream()
        .anyMatch(
            e ->
                type.equals(e.path("ChangeType").asText())
                    && path.equals(e.path("FilePath").asText()));
  }

  @Test
  void killDuringBurstLosesNothing() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host"));
    Path data = Files.createDirectories(host.resolve("data"));
    Path policies = Files.createDirectories(tmp.resolve("policies"));
    Path state = tmp.resolve("state");
    Files.writeString(
        policies.resolve("p.yaml"),
        """
        apiVersion: kubefim.io/v1alpha1
        kind: FimPolicy
        metadata: {name: crash}
        spec:
          debounce: 100ms
          rules:
            - paths: [/data]
        """);
    for (int i = 0; i < 60; i++) {
      Files.writeString(data.resolve("m" + i), "initial " + i);
      Files.writeString(data.resolve("d" + i), "doomed " + i);
    }
    Path out1 = tmp.resolve("out1.ndjson");
    Path out2 = tmp.resolve("out2.ndjson");
    Process a = start(host, policies, state, out1);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  read(out1).stream()
                      .anyMatch(e -> "BaselineCreated".equals(e.path("ChangeType").asText())));
      Set<String> created = new HashSet<>();
      for (int i = 0; i < 60; i++) {
        Files.writeString(data.resolve("c" + i), "new " + i);
        created.add("/data/c" + i);
        Files.writeString(data.resolve("m" + i), "modified " + i);
        Files.delete(data.resolve("d" + i));
        if (i % 10 == 9) {
          Thread.sleep(30); // let some of the burst be committed before the kill
        }
        if (i == 30) {
          a.destroyForcibly(); // SIGKILL
          a.waitFor(10, TimeUnit.SECONDS);
        }
      }
      Process b = start(host, policies, state, out2);
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(300))
            .untilAsserted(
                () -> {
                  List<JsonNode> all = new ArrayList<>(read(out1));
                  all.addAll(read(out2));
                  for (int i = 0; i < 60; i++) {
                    assertThat(has(all, "Created", "/data/c" + i))
                        .as("Created /data/c" + i)
                        .isTrue();
                    assertThat(has(all, "Modified", "/data/m" + i))
                        .as("Modified /data/m" + i)
                        .isTrue();
                    assertThat(has(all, "Deleted", "/data/d" + i))
                        .as("Deleted /data/d" + i)
                        .isTrue();
                  }
                });
        assertThat(read(out2))
            .noneMatch(e -> "BaselineCreated".equals(e.path("ChangeType").asText()));
      } finally {
        b.destroy();
        b.waitFor(20, TimeUnit.SECONDS);
      }
    } finally {
      a.destroyForcibly();
    }
  }
}
