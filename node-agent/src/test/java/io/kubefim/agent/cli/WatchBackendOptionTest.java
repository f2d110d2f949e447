package io.kubefim.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --watch-backend}: a value it does not know is a usage error naming the flag. */
class WatchBackendOptionTest {
  @TempDir Path tmp;

  @Test
  void anUnknownBackendIs64WithAMessageNamingTheFlag() throws Exception {
    Path policies = Files.createDirectories(tmp.resolve("policies"));
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          AgentMain.execute(
              "run",
              "--state",
              tmp.resolve("state").toString(),
              "--policies",
              policies.toString(),
              "--watch-backend",
              "fanotify");
    } finally {
      System.setErr(oldErr);
    }
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--watch-backend 'fanotify': expected inotify, watchservice or auto");
    assertThat(Files.exists(tmp.resolve("state"))).isFalse(); // refused before anything started
  }
}
