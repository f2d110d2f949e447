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
    CommandLine cmd = new CommandLine(new AgentMain());
    if (args.length > 0 && SUBCOMMANDS.containsKey(args[0])) {
      cmd.addSubcommand(args[0], SUBCOMMANDS.get(args[0]).get());
    } else {
      SUBCOMMANDS.forEach((name, command) -> cmd.addSubcommand(name, command.get()));
    }
    cmd.setParameterExceptionHandler(
        (ex, a) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("kubefim-agent: " + ex.getMessage());
          ex.getCommandLine().usage(err);
          return ExitCodes.USAGE;
        });
    cmd.setExecutionExceptionHandler(
        (ex, c, p) -> {
          c.getErr().println("kubefim-agent: " + ex);
          return ExitCodes.IO;
        });
    return cmd.execute(args);
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
