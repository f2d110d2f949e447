package io.kubefim.agent.cli;

import java.io.PrintWriter;
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
    description = "KubeFIM node agent: file integrity monitoring of this node's files.",
    subcommands = {RunCommand.class, CheckCommand.class})
public final class AgentMain implements Runnable {
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (tests call this in-process). */
  public static int execute(String... args) {
    CommandLine cmd = new CommandLine(new AgentMain());
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
