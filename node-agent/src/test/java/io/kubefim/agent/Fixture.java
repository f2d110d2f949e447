package io.kubefim.agent;

import io.kubefim.agent.baseline.BaselineStore;
import io.kubefim.agent.baseline.OutboxRecord;
import io.kubefim.agent.config.RuleSet;
import io.kubefim.agent.engine.EventFactory;
import io.kubefim.agent.engine.ScanEngine;
import io.kubefim.agent.engine.StoreChangeWriter;
import io.kubefim.agent.scan.FileObserver;
import io.kubefim.agent.scan.HostFs;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import io.kubefim.api.policy.Attribute;
import io.kubefim.api.policy.HashAlgorithm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/** A host root and a state directory in a temp dir, and helpers to build rules and read events. */
public final class Fixture implements AutoCloseable {
  public final Path hostRoot;
  public final Path state;
  public BaselineStore store;
  public final ForkJoinPool pool = new ForkJoinPool(2);

  public Fixture(Path tmp) throws IOException {
    this.hostRoot = Files.createDirectories(tmp.resolve("host"));
    this.state = tmp.resolve("state");
    this.store = BaselineStore.open(state);
  }

  public static AgentRule rule(String path) {
    return rule(path, true, List.of(), List.of(), 64L << 20);
  }

  public static AgentRule rule(
      String path, boolean recursive, List<String> include, List<String> exclude, long max) {
    return new AgentRule(
        path,
        recursive,
        include,
        exclude,
        EnumSet.allOf(Attribute.class),
        EnumSet.of(HashAlgorithm.SHA256),
        max,
        true,
        21600,
        200,
        List.of("test-policy"),
        Map.of("env", "test"));
  }

  public static AgentConfig config(AgentRule... rules) {
    return new AgentConfig(AgentConfig.FORMAT_VERSION, "v1", "node-a", List.of(), List.of(rules));
  }

  public ScanEngine engine(AgentRule... rules) {
    return engine(new FileObserver(), rules);
  }

  public ScanEngine engine(FileObserver observer, AgentRule... rules) {
    RuleSet rs = new RuleSet(config(rules));
    return new ScanEngine(
        rs,
        new HostFs(hostRoot, rs.roots()),
        store,
        new StoreChangeWriter(store, e -> {}),
        new EventFactory("node-a", Clock.systemUTC()),
        observer,
        pool);
  }

  /** Reads and removes every event in the outbox. */
  public List<FimEvent> drain() {
    try {
      List<FimEvent> out = new ArrayList<>();
      for (OutboxRecord r : store.peekOutbox(100_000)) {
        out.add(Json.mapper().readValue(r.json(), FimEvent.class));
        store.ackOutbox(r.seq());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The real location of host path {@code p}. */
  public Path p(String hostPath) {
    return hostRoot.resolve(hostPath.substring(1));
  }

  public Path write(String hostPath, String content) throws IOException {
    Path f = p(hostPath);
    Files.createDirectories(f.getParent());
    return Files.writeString(f, content, StandardCharsets.UTF_8);
  }

  public void reopen() throws IOException {
    store.close();
    store = BaselineStore.open(state);
  }

  @Override
  public void close() throws IOException {
    store.close();
    pool.shutdownNow();
  }
}
