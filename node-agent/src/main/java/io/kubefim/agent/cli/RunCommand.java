package io.kubefim.agent.cli;

import io.kubefim.agent.attribution.AttributionService;
import io.kubefim.agent.attribution.ConfigServicePods;
import io.kubefim.agent.attribution.PodDirectory;
import io.kubefim.agent.attribution.ProcReader;
import io.kubefim.agent.baseline.BaselineStore;
import io.kubefim.agent.config.ConfigServiceClient;
import io.kubefim.agent.config.ConfigSource.InvalidConfigException;
import io.kubefim.agent.config.PolicyDirConfigSource;
import io.kubefim.agent.config.SavedConfig;
import io.kubefim.agent.config.Selection;
import io.kubefim.agent.daemon.AgentDaemon;
import io.kubefim.agent.engine.EventFactory;
import io.kubefim.agent.engine.ScanEngine;
import io.kubefim.agent.engine.StoreChangeWriter;
import io.kubefim.agent.expect.ExpectationLabeller;
import io.kubefim.agent.expect.WindowTally;
import io.kubefim.agent.health.AgentHealth;
import io.kubefim.agent.health.Workers;
import io.kubefim.agent.http.AgentMetrics;
import io.kubefim.agent.http.HttpEndpoints;
import io.kubefim.agent.registry.RegistryMonitor;
import io.kubefim.agent.registry.WindowsRegistryMonitor;
import io.kubefim.agent.remote.Http;
import io.kubefim.agent.remote.TokenFile;
import io.kubefim.agent.ship.HttpSink;
import io.kubefim.agent.ship.NdjsonSink;
import io.kubefim.agent.ship.OutboxDrainer;
import io.kubefim.agent.ship.Sink;
import io.kubefim.agent.spool.SpoolOverflow;
import io.kubefim.agent.status.NodeStatusBuilder;
import io.kubefim.agent.status.StatusReporter;
import io.kubefim.agent.watch.InotifyBackend;
import io.kubefim.agent.watch.RealtimeMonitor;
import io.kubefim.agent.watch.RealtimeQueue;
import io.kubefim.agent.watch.WatchBackend;
import io.kubefim.agent.watch.WatchBackends;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.event.NodeNames;
import io.kubefim.api.policy.Quantities;
import io.kubefim.api.status.NodeStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code run}: the daemon (SPEC §6). Rules come from {@code --policies DIR} (re-read when it
 * changes) or {@code --config-url} (config-service long-poll, last config saved in the state
 * directory); events go to {@code --output} or {@code --ingest-url} through the bounded outbox.
 * Stops cleanly on SIGTERM/SIGINT.
 */
@Command(
    name = "run",
    description = "Run the agent: baseline, realtime watch, scheduled rescans, hot config reload.")
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = Logger.getLogger(RunCommand.class.getName());

  @Mixin CommonOptions common = new CommonOptions();

  @Option(
      names = "--policies",
      paramLabel = "DIR",
      description = "Directory of FimPolicy YAML files, re-read when it changes.")
  Path policies;

  @Option(
      names = "--config-url",
      paramLabel = "URL",
      description =
          "config-service URL: the node's config by long-poll; the last one is kept in the state"
              + " directory for restarts while config-service is down.")
  String configUrl;

  @Option(
      names = "--output",
      paramLabel = "FILE|-",
      description =
          "NDJSON events to FILE (appended) or - for stdout (the default without --ingest-url).")
  String output;

  @Option(
      names = "--ingest-url",
      paramLabel = "URL",
      description = "ingest-service URL: events are POSTed in gzipped batches from the outbox.")
  String ingestUrl;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "Bearer token for config-service and ingest-service, read for every request (default "
              + "/var/run/secrets/kubefim/token when it exists, else none).")
  Path tokenFile;

  @Option(
      names = "--ca-file",
      paramLabel = "FILE",
      description =
          "PEM bundle of the CAs to trust for https config-service and ingest-service URLs (a"
              + " private CA, e.g. trust-manager's bundle); default: the JVM's trusted CAs.")
  Path caFile;

  @Option(
      names = "--spool-max-bytes",
      paramLabel = "SIZE",
      defaultValue = "256Mi",
      description =
          "Outbox limit (e.g. 256Mi, the default): when full, the oldest events are dropped and a"
              + " CoverageGap says how many.")
  String spoolMaxBytes;

  @Option(
      names = "--http-port",
      paramLabel = "N",
      defaultValue = "8082",
      description = "Port of /q/health and /q/metrics (default 8082; 0 picks one).")
  int httpPort;

  @Option(
      names = "--watch-backend",
      paramLabel = "inotify|watchservice|auto",
      defaultValue = "auto",
      description =
          "Realtime file watching: inotify (Linux), watchservice (the JDK's WatchService, e.g. on"
              + " Windows nodes) or auto (the default: inotify on Linux, watchservice elsewhere).")
  String watchBackend;

  /** Test hooks: shorter long-poll, back-off and heartbeat than production. */
  Duration configWait = Duration.ofSeconds(30);

  long retryBaseMillis = 1000;
  long retryCapMillis = 30_000;
  Duration heartbeatInterval = Duration.ofSeconds(30);
  OutboxDrainer.Limits shipLimits = OutboxDrainer.Limits.DEFAULT;

  private final CountDownLatch stopped = new CountDownLatch(1);

  /** The guard of every long-lived worker; a stopped one turns health DOWN. */
  private final Workers workers = new Workers();

  private volatile boolean stopping;
  private volatile AgentDaemon daemon;
  private volatile ScanEngine engine;
  private volatile WatchBackend backend;
  private volatile BaselineStore store;
  private volatile Sink sink;
  private volatile OutboxDrainer drainer;
  private volatile HttpEndpoints http;
  private volatile ConfigServiceClient client;
  private volatile PolicyDirConfigSource policySource;
  private volatile StatusReporter reporter;
  private volatile ForkJoinPool pool;
  private volatile AttributionService attribution;
  private volatile RegistryMonitor registry;

  @Override
  public Integer call() throws Exception {
    AgentMain.configureLogging(Level.INFO);
    if (policies != null && configUrl != null) {
      return usage("--policies and --config-url are alternatives: give one of them");
    }
    if (policies == null && configUrl == null) {
      return usage("run needs --policies DIR or --config-url URL");
    }
    if (output != null && ingestUrl != null) {
      return usage("--output and --ingest-url are alternatives: give one of them");
    }
    long spoolLimit;
    try {
      spoolLimit = Quantities.toBytes(spoolMaxBytes);
    } catch (RuntimeException e) {
      return usage("--spool-max-bytes '" + spoolMaxBytes + "': not a size (e.g. 256Mi)");
    }
    if (spoolLimit <= 0) {
      return usage("--spool-max-bytes must be positive");
    }
    WatchBackends.Choice watchChoice = WatchBackends.parse(watchBackend);
    if (watchChoice == null) {
      return usage("--watch-backend '" + watchBackend + "': expected " + WatchBackends.VALUES);
    }
    try {
      Http.trust(caFile);
    } catch (IOException e) {
      return usage(e.getMessage());
    }
    String node = common.nodeName();
    if (!NodeNames.isValid(node)) {
      return usage(
          "--node '"
              + node
              + "': not a Kubernetes node name (a DNS-1123 subdomain: lowercase letters, digits,"
              + " '-' and '.')");
    }
    TokenFile token = TokenFile.resolve(tokenFile);

    AgentConfig initial = null;
    if (policies != null) {
      policySource = new PolicyDirConfigSource(policies, node);
      try {
        initial = policySource.load();
      } catch (InvalidConfigException e) {
        System.err.println("kubefim-agent: invalid policy: " + e.getMessage());
        return ExitCodes.USAGE;
      }
    }

    AgentMetrics metrics = new AgentMetrics();
    EventFactory events = new EventFactory(node, Clock.systemUTC());
    try {
      store = BaselineStore.open(common.state);
      store.limitOutbox(new SpoolOverflow(events, spoolLimit));
      sink =
          ingestUrl != null
              ? new HttpSink(ingestUrl, token, metrics, Duration.ofSeconds(45))
              : NdjsonSink.open(output == null ? "-" : output);
    } catch (IOException e) {
      System.err.println("kubefim-agent: " + e.getMessage());
      return ExitCodes.IO;
    }
    BaselineStore st = store;
    metrics.bindSpool(st::outboxBytes, st::outboxDropped);
    metrics.bind(st::entryCount, () -> backend == null ? 0 : backend.watchCount(), st::outboxDepth);
    try {
      http = new HttpEndpoints(httpPort, new AgentHealth(workers, this::notReady), metrics);
    } catch (IOException e) {
      System.err.println(
          "kubefim-agent: cannot listen on port " + httpPort + ": " + e.getMessage());
      store.close();
      return ExitCodes.IO;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "kubefim-shutdown"));
    drainer = new OutboxDrainer(store, sink, shipLimits);
    drainer.start(workers);

    if (configUrl != null) {
      reporter = new StatusReporter(configUrl, node, token, () -> status(node));
      reporter.start(heartbeatInterval, workers);
      SavedConfig saved = new SavedConfig(common.state);
      AgentConfig last = null;
      try {
        last = saved.load().orElse(null);
      } catch (IOException e) {
        LOG.log(
            Level.WARNING,
            "saved config unreadable, waiting for config-service path={0} error={1}",
            new Object[] {saved.file(), e.toString()});
      }
      client =
          new ConfigServiceClient(
              configUrl, node, token, saved, configWait, retryBaseMillis, retryCapMillis);
      client.start(
          last,
          c -> {
            if (daemon != null) {
              applyConfig(c);
            }
          },
          workers);
      if (last != null) {
        LOG.log(
            Level.INFO,
            "starting with the saved config version={0}; config-service may answer later",
            last.version());
      } else {
        LOG.log(Level.INFO, "waiting for the first config from url={0}", configUrl);
      }
      while (!stopping && (initial = client.awaitFirst(1, TimeUnit.SECONDS)) == null) {
        // readiness stays DOWN; the client retries with back-off
      }
      if (stopping) {
        stopped.await();
        return 0;
      }
    }
    start(initial, node, metrics, events, watchChoice);
    stopped.await();
    return 0;
  }

  /** A meta value of the state database; null (and a warning) when it cannot be read. */
  private String savedMeta(String key) {
    try {
      return store.meta(key);
    } catch (IOException e) {
      LOG.log(
          Level.WARNING, "state value {0} unreadable, ignored error={1}", new Object[] {key, e});
      return null;
    }
  }

  private synchronized void start(
      AgentConfig initial,
      String node,
      AgentMetrics metrics,
      EventFactory events,
      WatchBackends.Choice watchChoice) {
    if (stopping) {
      return;
    }
    pool = AgentContext.hashPool();
    AtomicReference<ScanEngine> built = new AtomicReference<>();
    ExpectationLabeller labeller =
        new ExpectationLabeller(
            () -> built.get() == null ? null : built.get().rules().config(), common.hostRoot);
    WindowTally windows =
        new WindowTally(
            new StoreChangeWriter(
                store,
                ev -> {
                  metrics.recorded(ev);
                  drainer.wake();
                }),
            labeller,
            events,
            savedMeta(WindowTally.META_KEY));
    engine = AgentContext.engine(initial, common, store, windows, pool, events);
    ScanEngine eng = engine;
    built.set(eng);
    RealtimeQueue queue =
        new RealtimeQueue(
            p -> {
              Selection s = eng.rules().select(p);
              return s == null ? eng.rules().debounceMillis() : s.debounceMillis();
            });
    try {
      backend = WatchBackends.open(watchChoice, workers);
    } catch (RuntimeException | LinkageError e) {
      LOG.log(Level.WARNING, "realtime watching unavailable, scans only error={0}", e.toString());
    }
    WatchBackend be = backend;
    RealtimeMonitor monitor =
        be == null
            ? null
            : new RealtimeMonitor(eng.rules(), eng.hostFs(), be, queue, System::currentTimeMillis);
    AgentDaemon d = new AgentDaemon(eng, monitor, queue, metrics, initial.version());
    events.labelWith(labeller);
    d.everyLoop(windows::closeEnded);
    attribution = attribution(eng, events);
    AttributionService attr = attribution;
    d.agentEventsFrom(() -> attr.takeEvents(events));
    if (be != null) {
      d.unwatchWith(be::unwatchBelow);
    }
    StatusReporter rep = reporter;
    if (rep != null) {
      d.onApplied(c -> rep.kick());
      d.onReady(rep::kick);
    }
    daemon = d;
    registry =
        WindowsRegistryMonitor.create(
            initial,
            store,
            ev -> {
              metrics.recorded(ev);
              drainer.wake();
            },
            events);
    LOG.log(
        Level.INFO,
        "agent starting node={0} config={1} rules={2} state={3} http={4} sink={5} token={6}"
            + " spoolMaxBytes={7} watchBackend={8}{9}",
        new Object[] {
          node,
          initial.version(),
          initial.rules().size(),
          common.state,
          http.port(),
          ingestUrl != null ? ingestUrl : (output == null ? "-" : output),
          tokenFileName(),
          spoolMaxBytes,
          be == null ? "none" : be.getClass().getSimpleName(),
          be instanceof InotifyBackend ? " maxUserWatches=" + InotifyBackend.maxUserWatches() : ""
        });
    d.start(workers);
    RegistryMonitor reg = registry;
    if (reg != null) {
      reg.start(workers);
    }
    if (client != null) {
      AgentConfig latest = client.latest();
      if (latest != null && !latest.version().equals(initial.version())) {
        applyConfig(latest); // arrived while the engine was being built
      }
    }
    if (policySource != null) {
      policySource.watch(1000, this::applyConfig, workers);
    }
  }

  /** A new config for the file side and, on Windows, the registry monitor. Any thread. */
  private void applyConfig(AgentConfig c) {
    daemon.applyConfig(c);
    RegistryMonitor reg = registry;
    if (reg != null) {
      reg.applyConfig(c);
    }
  }

  /**
   * Who-did-it for the rules that ask for it: fanotify opens only then. Pod names come from
   * config-service when the agent has one.
   */
  private AttributionService attribution(ScanEngine eng, EventFactory events) {
    PodDirectory pods =
        configUrl != null
            ? new ConfigServicePods(
                configUrl, eng.rules().config().node(), TokenFile.resolve(tokenFile))
            : PodDirectory.NONE;
    AttributionService a =
        new AttributionService(
            eng.rules(), eng.hostFs(), new ProcReader(Path.of("/proc")), pods, workers);
    events.attributeWith(a.attributor());
    return a;
  }

  /** Why readiness is DOWN (null: ready): read by the HTTP thread, so volatile reads only. */
  private String notReady() {
    AgentDaemon d = daemon;
    if (d == null) {
      return configUrl != null ? "waiting for the first config" : "starting";
    }
    RegistryMonitor reg = registry;
    if (d.ready()) {
      return reg == null || reg.ready() ? null : "registry first scan not committed yet";
    }
    Throwable f = d.failure();
    return f != null ? "engine failing, retrying: " + f : "first scan not committed yet";
  }

  private String tokenFileName() {
    Path f = TokenFile.resolve(tokenFile).file();
    return f == null ? "none" : f.toString();
  }

  private NodeStatus status(String node) {
    AgentDaemon d = daemon;
    ScanEngine e = engine;
    WatchBackend be = backend;
    BaselineStore st = store;
    if (d == null || e == null) {
      return NodeStatusBuilder.build(
          node,
          null,
          false,
          null,
          workers.stopped(),
          null,
          null,
          java.util.Map.of(),
          0,
          0,
          st.outboxDepth());
    }
    AttributionService attr = attribution;
    NodeStatus s =
        NodeStatusBuilder.build(
            node,
            d.applied(),
            d.ready(),
            d.failure(),
            workers.stopped(),
            e.rules(),
            e.hostFs(),
            d.coverageGaps(),
            st.entryCount(),
            be == null ? 0 : be.watchCount(),
            st.outboxDepth());
    return attr == null ? s : NodeStatusBuilder.withAttributionUnavailable(s, attr.unavailable());
  }

  private void shutdown() {
    stopping = true;
    synchronized (this) {
      for (AutoCloseable c :
          List.<AutoCloseable>of(
              () -> close(policySource == null ? null : policySource::close),
              () -> close(client),
              () -> close(daemon),
              () -> close(registry),
              () -> close(backend),
              () -> close(attribution),
              () -> close(reporter),
              () -> close(drainer == null ? null : drainer::stop),
              () -> close(http),
              () -> close(sink),
              () -> close(store),
              () -> close(pool == null ? null : pool::shutdownNow))) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.log(Level.WARNING, "close failed error={0}", e.toString());
        }
      }
    }
    stopped.countDown();
  }

  private static void close(AutoCloseable c) throws Exception {
    if (c != null) {
      c.close();
    }
  }

  private static int usage(String message) {
    System.err.println("kubefim-agent: " + message);
    return ExitCodes.USAGE;
  }

  /** For tests that run the command in-process: stops it as SIGTERM would. */
  void stop() {
    shutdown();
  }

  Optional<Integer> httpPort() {
    HttpEndpoints h = http;
    return h == null ? Optional.empty() : Optional.of(h.port());
  }
}
