package io.kubefim.agent.cli;

import io.kubefim.agent.baseline.BaselineStore;
import io.kubefim.agent.config.ConfigSource;
import io.kubefim.agent.config.ConfigSource.InvalidConfigException;
import io.kubefim.agent.config.PolicyDirConfigSource;
import io.kubefim.agent.config.Selection;
import io.kubefim.agent.daemon.AgentDaemon;
import io.kubefim.agent.engine.ScanEngine;
import io.kubefim.agent.engine.StoreChangeWriter;
import io.kubefim.agent.http.AgentMetrics;
import io.kubefim.agent.http.HttpEndpoints;
import io.kubefim.agent.ship.NdjsonSink;
import io.kubefim.agent.ship.OutboxDrainer;
import io.kubefim.agent.watch.InotifyBackend;
import io.kubefim.agent.watch.RealtimeMonitor;
import io.kubefim.agent.watch.RealtimeQueue;
import io.kubefim.api.config.AgentConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: the daemon (SPEC §6). Stops cleanly on SIGTERM/SIGINT. */
@Command(
    name = "run",
    description = "Run the agent: baseline, realtime watch, scheduled rescans, events as NDJSON.")
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = Logger.getLogger(RunCommand.class.getName());

  @Mixin CommonOptions common = new CommonOptions();

  @Option(
      names = "--policies",
      paramLabel = "DIR",
      description = "Directory of FimPolicy YAML files.")
  Path policies;

  @Option(
      names = "--config-url",
      paramLabel = "URL",
      description = "config-service URL (not available yet).")
  String configUrl;

  @Option(
      names = "--output",
      paramLabel = "FILE|-",
      defaultValue = "-",
      description = "NDJSON events to FILE (appended) or - for stdout (default).")
  String output;

  @Option(
      names = "--ingest-url",
      paramLabel = "URL",
      description = "ingest-service URL (not available yet).")
  String ingestUrl;

  @Option(
      names = "--http-port",
      paramLabel = "N",
      defaultValue = "8082",
      description = "Port of /q/health and /q/metrics (default 8082; 0 picks one).")
  int httpPort;

  @Override
  public Integer call() throws Exception {
    AgentMain.configureLogging(Level.INFO);
    if (configUrl != null || ingestUrl != null) {
      System.err.println(
          "kubefim-agent: "
              + (configUrl != null ? "--config-url" : "--ingest-url")
              + " is not available yet (config-service and ingest-service come with later issues);"
              + " use --policies DIR and --output FILE|-");
      return ExitCodes.USAGE;
    }
    if (policies == null) {
      System.err.println("kubefim-agent: run needs --policies DIR");
      return ExitCodes.USAGE;
    }
    ConfigSource source = new PolicyDirConfigSource(policies, common.nodeName());
    AgentConfig config;
    try {
      config = source.load();
    } catch (InvalidConfigException e) {
      System.err.println("kubefim-agent: invalid policy: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    ForkJoinPool pool = AgentContext.hashPool();
    AgentMetrics metrics = new AgentMetrics();
    BaselineStore store;
    NdjsonSink sink;
    try {
      store = BaselineStore.open(common.state);
      sink = NdjsonSink.open(output);
    } catch (IOException e) {
      System.err.println("kubefim-agent: " + e.getMessage());
      return ExitCodes.IO;
    }
    OutboxDrainer drainer = new OutboxDrainer(store, sink);
    ScanEngine engine =
        AgentContext.engine(
            config,
            common,
            store,
            new StoreChangeWriter(
                store,
                ev -> {
                  metrics.recorded(ev);
                  drainer.wake();
                }),
            pool);
    RealtimeQueue queue =
        new RealtimeQueue(
            p -> {
              Selection s = engine.rules().select(p);
              return s == null ? engine.rules().debounceMillis() : s.debounceMillis();
            });
    InotifyBackend backend = engine.rules().anyRealtime() ? new InotifyBackend() : null;
    RealtimeMonitor monitor =
        backend == null
            ? null
            : new RealtimeMonitor(
                engine.rules(), engine.hostFs(), backend, queue, System::currentTimeMillis);
    AgentDaemon daemon = new AgentDaemon(engine, monitor, queue, metrics, config.version());
    metrics.bind(
        store::entryCount, () -> backend == null ? 0 : backend.watchCount(), store::outboxDepth);
    HttpEndpoints http;
    try {
      http = new HttpEndpoints(httpPort, daemon::ready, metrics);
    } catch (IOException e) {
      System.err.println(
          "kubefim-agent: cannot listen on port " + httpPort + ": " + e.getMessage());
      return ExitCodes.IO;
    }
    LOG.log(
        Level.INFO,
        "agent starting node={0} rules={1} state={2} http={3} maxUserWatches={4}",
        new Object[] {
          common.nodeName(),
          config.rules().size(),
          common.state,
          http.port(),
          InotifyBackend.maxUserWatches()
        });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  daemon.close();
                  if (backend != null) {
                    backend.close();
                  }
                  drainer.stop();
                  http.close();
                  try {
                    sink.close();
                    store.close();
                  } catch (IOException e) {
                    LOG.log(Level.WARNING, "close failed error={0}", e.toString());
                  }
                  pool.shutdownNow();
                  stopped.countDown();
                },
                "kubefim-shutdown"));
    drainer.start();
    daemon.start();
    stopped.await();
    return 0;
  }
}
