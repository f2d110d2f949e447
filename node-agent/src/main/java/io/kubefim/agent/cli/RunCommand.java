package io.kubefim.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code run}: the daemon. */
@Command(name = "run", description = "Run the agent: baseline, watch, rescan, report.")
final class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return ExitCodes.USAGE;
  }
}
