package io.kubefim.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/**
 * A crash of a command exits {@link ExitCodes#SOFTWARE} (70) through the same picocli entry as
 * {@code main}, never 1 ("files created") or another code of the change bitmask.
 */
class CrashExitCodeTest {
  String err;

  @Command(name = "check")
  static final class Overflowing implements Callable<Integer> {
    @Override
    public Integer call() {
      return depth(0); // a real StackOverflowError, as a deep tree gave before walks were flat
    }

    private static int depth(int n) {
      return depth(n + 1) + 1;
    }
  }

  @Command(name = "check")
  static final class Throwing implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new IllegalStateException("engine bug at /etc/app/x");
    }
  }

  int run(Supplier<Object> command) {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      return AgentMain.execute(Map.of("check", command), "check");
    } finally {
      System.setErr(oldErr);
      err = e.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void anErrorExitsSeventyWithTheCauseOnStderr() {
    assertThat(run(Overflowing::new)).isEqualTo(70);
    assertThat(err).contains("crashed (exit 70)").contains("StackOverflowError");
  }

  @Test
  void anUnexpectedExceptionExitsSeventyNotIoOrABitmask() {
    assertThat(run(Throwing::new)).isEqualTo(70);
    assertThat(err).contains("IllegalStateException: engine bug at /etc/app/x");
  }
}
