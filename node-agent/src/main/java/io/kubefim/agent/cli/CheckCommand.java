package io.kubefim.agent.cli;

import io.kubefim.agent.baseline.BaselineStore;
import io.kubefim.agent.baseline.OutboxRecord;
import io.kubefim.agent.config.CompiledPolicyCache;
import io.kubefim.agent.config.ConfigSource.InvalidConfigException;
import io.kubefim.agent.config.PolicyDirConfigSource;
import io.kubefim.agent.engine.ChangeWriter;
import io.kubefim.agent.engine.EventFactory;
import io.kubefim.agent.engine.ScanEngine;
import io.kubefim.agent.engine.ScanEngine.ScanResult;
import io.kubefim.agent.engine.StoreChangeWriter;
import io.kubefim.agent.expect.ExpectationLabeller;
import io.kubefim.agent.ship.NdjsonSink;
import io.kubefim.agent.ship.OutboxDrainer;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.logging.Level;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code check}: one scan, events as NDJSON on stdout, exit code a bitmask of what changed (SPEC
 * §6). The first check in an empty state directory creates the baseline (one BaselineCreated).
 */
@Command(
    name = "check",
    description =
        "Scan once, print changes as NDJSON, exit with a bitmask: 1 created | 2 deleted | 4 modified/renamed; 64 bad arguments or policy; 74 I/O failure; 70 crash.")
final class CheckCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(
      names = "--policies",
      required = true,
      paramLabel = "DIR",
      description = "Directory of FimPolicy YAML files.")
  Path policies;

  @Option(
      names = "--node-os",
      paramLabel = "OS",
      description =
          "The node's kubernetes.io/os the policies are compiled for: linux or windows (default:"
              + " the OS this runs on). windows with --host-root checks a Windows node's files"
              + " under DIR/C:/...")
  String nodeOs;

  @Option(
      names = "--no-update",
      description = "Report changes without writing them to the baseline.")
  boolean noUpdate;

  @Override
  public Integer call() {
    AgentMain.configureLogging(Level.WARNING);
    String os = nodeOs == null ? PolicyDirConfigSource.platformOs() : nodeOs;
    if (!os.equals("linux") && !os.equals("windows")) {
      System.err.println("kubefim-agent: --node-os must be linux or windows, not " + os);
      return ExitCodes.USAGE;
    }
    AgentConfig config;
    try {
      config =
          new PolicyDirConfigSource(
                  policies,
                  common.nodeName(),
                  os,
                  CompiledPolicyCache.inStateDir(common.state).orElse(null))
              .load();
    } catch (InvalidConfigException e) {
      System.err.println("kubefim-agent: invalid policy: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    ForkJoinPool pool = AgentContext.hashPool();
    try (BaselineStore store = BaselineStore.open(common.state)) {
      List<FimEvent> collected = new ArrayList<>();
      ChangeWriter writer =
          noUpdate ? (w, ev, m) -> collected.addAll(ev) : new StoreChangeWriter(store, ev -> {});
      // windows label what a check finds as they label the daemon's scans (no writer: no process)
      EventFactory events = new EventFactory(common.nodeName(), Clock.systemUTC());
      AgentConfig inForce = config;
      events.labelWith(new ExpectationLabeller(() -> inForce, common.hostRoot));
      ScanEngine engine = AgentContext.engine(config, common, store, writer, pool, events);
      if (noUpdate && !engine.baselineExists()) {
        System.err.println(
            "kubefim-agent: no baseline in "
                + common.state
                + "; run check without --no-update first");
        return ExitCodes.USAGE;
      }
      ScanResult result = engine.fullScan(DetectionSource.Scan);
      try (NdjsonSink out = NdjsonSink.open("-")) {
        if (noUpdate) {
          List<OutboxRecord> rows = new ArrayList<>();
          for (FimEvent e : collected) {
            rows.add(
                new OutboxRecord(
                    0, e.getEventId(), io.kubefim.api.json.Json.mapper().writeValueAsString(e)));
          }
          out.send(rows);
        } else {
          new OutboxDrainer(store, out).drainAll();
        }
      }
      return ExitCodes.of(result);
    } catch (IOException e) {
      System.err.println("kubefim-agent: " + e.getMessage());
      return ExitCodes.IO;
    } finally {
      pool.shutdownNow();
    }
  }
}
