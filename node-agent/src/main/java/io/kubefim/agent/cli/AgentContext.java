package io.kubefim.agent.cli;

import io.kubefim.agent.baseline.BaselineStore;
import io.kubefim.agent.config.RuleSet;
import io.kubefim.agent.engine.ChangeWriter;
import io.kubefim.agent.engine.EventFactory;
import io.kubefim.agent.engine.ScanEngine;
import io.kubefim.agent.scan.FileObserver;
import io.kubefim.agent.scan.HostFs;
import io.kubefim.api.config.AgentConfig;
import java.time.Clock;
import java.util.concurrent.ForkJoinPool;

/** Wires the engine for one config. */
final class AgentContext {
  private AgentContext() {}

  static ForkJoinPool hashPool() {
    return new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  static ScanEngine engine(
      AgentConfig config,
      CommonOptions opts,
      BaselineStore store,
      ChangeWriter writer,
      ForkJoinPool pool) {
    return engine(
        config, opts, store, writer, pool, new EventFactory(opts.nodeName(), Clock.systemUTC()));
  }

  static ScanEngine engine(
      AgentConfig config,
      CommonOptions opts,
      BaselineStore store,
      ChangeWriter writer,
      ForkJoinPool pool,
      EventFactory events) {
    RuleSet rules = new RuleSet(config);
    HostFs fs = new HostFs(opts.hostRoot, rules.roots());
    return new ScanEngine(rules, fs, store, writer, events, new FileObserver(), pool);
  }
}
