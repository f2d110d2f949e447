package io.kubefim.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy asks for attribution on a node where the agent lacks CAP_SYS_ADMIN (dropped from the
 * bounding set with setpriv): the agent runs, says why it cannot attribute (a PolicyApplied event
 * with ATTRIBUTION_UNAVAILABLE) and still detects every change in realtime, without its writer.
 * Needs root and setpriv (util-linux); skipped with the reason elsewhere.
 */
class AttributionUnavailableIT {
  @TempDir Path tmp;

  @Test
  void withoutSysAdminTheRulesAreWatchedWithoutAttributionAndTheAgentSaysWhy() throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    boolean setpriv = Files.isExecutable(Path.of("/usr/bin/setpriv"));
    String why = !root ? "needs root" : !setpriv ? "needs /usr/bin/setpriv (util-linux)" : null;
    if (why != null) {
      System.out.println("AttributionUnavailableIT skipped: " + why);
    }
    assumeTrue(why == null, why);
    Path host = Files.createDirectories(tmp.resolve("host/etc/app"));
    Files.writeString(host.resolve("a"), "a");
    Path policies = Files.createDirectories(tmp.resolve("policies"));
    Files.writeString(
        policies.resolve("p.yaml"),
        "apiVersion: kubefim.io/v1alpha1\nkind: FimPolicy\nmetadata: {name: p}\nspec:\n"
            + "  attribution: true\n  debounce: 100ms\n  rules:\n    - paths: [/etc/app]\n");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path out = tmp.resolve("events.ndjson");
    Process p =
        new ProcessBuilder(
                "/usr/bin/setpriv",
                "--bounding-set",
                "-sys_admin",
                "--",
                System.getProperty("kubefim.test.java", "java"),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                AgentMain.class.getName(),
                "run",
                "--state",
                tmp.resolve("state").toString(),
                "--policies",
                policies.toString(),
                "--host-root",
                tmp.resolve("host").toString(),
                "--output",
                out.toString(),
                "--http-port",
                Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("agent.log").toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.exists(out) && Files.readString(out).contains("BaselineCreated"));
      Files.writeString(host.resolve("b"), "b");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Files.readString(out).contains("\"FilePath\":\"/etc/app/b\""));
      List<FimEvent> events = new ArrayList<>();
      for (String line : Files.readAllLines(out)) {
        events.add(Json.mapper().readValue(line, FimEvent.class));
      }

      assertThat(events)
          .anySatisfy(
              e -> {
                assertThat(e.getErrorMessage()).isEqualTo("ATTRIBUTION_UNAVAILABLE");
                assertThat(e.getDetails()).contains("EPERM").contains("CAP_SYS_ADMIN");
              });
      FimEvent created =
          events.stream()
              .filter(e -> "/etc/app/b".equals(e.getFilePath()))
              .findFirst()
              .orElseThrow();
      assertThat(created.getDetectionSource().name()).isEqualTo("Realtime");
      assertThat(created.getAttribution().isEmpty()).isTrue();
      assertThat(created.getErrorMessage())
          .startsWith(
              "writer unknown: attribution is unavailable on this node: fanotify_init: EPERM");
      assertThat(p.isAlive()).isTrue();
    } finally {
      p.destroy();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
  }
}
