package io.kubefim.agent.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kubefim-agent}: the node agent's entry point (SPEC §6). */
@Command(
    name = "kubefim-agent",
    mixinStandardHelpOptions = true,
    version = "kubefim-agent 0.1.0",
    description = "KubeFIM node agent: file integrity monitoring of this node's files.")
public final class AgentMain implements Runnable {
  // Subcommands by name, in usage order. Only the one named on the command line is built: picocli
  // reads a command's annotations when it is added, and building run's many options made every
  // `check` start about 40 ms later (docs/benchmarks.md, "start-up").
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

  static {
    SUBCOMMANDS.put("run", RunCommand::new);
    SUBCOMMANDS.put("check", CheckCommand::new);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (tests call this in-process). */
  public static int execute(String... args) {
    Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
    if (args.length > 0 && SUBCOMMANDS.containsKey(args[0])) {
      commands.put(args[0], SUBCOMMANDS.get(args[0]));
    } else {
      commands.putAll(SUBCOMMANDS);
    }
    return execute(commands, args);
  }

  /**
   * Runs {@code args} against the given subcommands. Whatever a command throws that it did not map
   * to a code itself (an unexpected exception, or an Error such as StackOverflowError) exits {@link
   * ExitCodes#SOFTWARE} with the cause on stderr: never a code of the change bitmask.
   */
  static int execute(Map<String, Supplier<Object>> commands, String... args) {
    CommandLine cmd = new CommandLine(new AgentMain());
    commands.forEach((name, command) -> cmd.addSubcommand(name, command.get()));
    cmd.setParameterExceptionHandler(
        (ex, a) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("kubefim-agent: " + ex.getMessage());
          ex.getCommandLine().usage(err);
          return ExitCodes.USAGE;
        });
    cmd.setExecutionExceptionHandler((ex, c, p) -> crashed(c.getErr(), ex));
    try {
      return cmd.execute(args);
    } catch (Throwable t) { // an Error passes picocli's handler: still a crash, not exit 1
      return crashed(cmd.getErr(), t);
    }
  }

  private static int crashed(PrintWriter err, Throwable t) {
    try {
      err.println("kubefim-agent: crashed (exit " + ExitCodes.SOFTWARE + "): " + t);
      StackTraceElement[] stack = t.getStackTrace();
      for (int i = 0; i < Math.min(stack.length, 20); i++) {
        err.println("\tat " + stack[i]);
      }
      err.flush();
    } catch (Throwable ignored) {
      // stderr itself failed (or the stack is still exhausted): the code is what matters
    }
    return ExitCodes.SOFTWARE;
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.err);
  }

  /** One line per record on stderr: {@code time level logger message} (fields as key=value). */
  static void configureLogging(Level level) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler h = new ConsoleHandler();
    h.setLevel(level);
    h.setFormatter(
        new Formatter() {
          @Override
          public String format(LogRecord r) {
            String name = r.getLoggerName() == null ? "" : r.getLoggerName();
            name = name.substring(name.lastIndexOf('.') + 1);
            return r.getInstant() + " " + r.getLevel() + " " + name + " " + formatMessage(r) + "\n";
          }
        });
    root.addHandler(h);
    root.setLevel(level);
  }
}
