package io.kubefim.agent.engine;

import static io.kubefim.agent.Fixture.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.agent.Fixture;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ScanEngine#applyConfig}: new rules baseline silently, removed rules leave silently. */
class ConfigReloadTest {
  @TempDir Path tmp;
  Fixture fx;
  ScanEngine engine;

  @BeforeEach
  void setUp() throws IOException {
    fx = new Fixture(tmp);
    fx.write("/a/one", "1");
    fx.write("/a/sub/two", "2");
    fx.write("/b/three", "3");
    fx.write("/b/deep/four", "4");
    engine = fx.engine(rule("/a"));
    engine.fullScan(DetectionSource.Scan);
    assertThat(fx.drain())
        .extracting(FimEvent::getChangeType)
        .containsExactly(ChangeType.BaselineCreated);
  }

  @AfterEach
  void tearDown() throws IOException {
    fx.close();
  }

  static io.kubefim.api.config.AgentConfig config(String version, AgentRule... rules) {
    return new io.kubefim.api.config.AgentConfig(1, version, "node-a", List.of(), List.of(rules));
  }

  @Test
  void addedRuleBaselinesItsFilesWithoutEvents() throws IOException {
    ScanEngine.ConfigChange c = engine.applyConfig(config("v2", rule("/a"), rule("/b")));

    assertThat(fx.drain()).isEmpty();
    assertThat(c.addedRoots()).containsExactly("/b");
    assertThat(c.removedRoots()).isEmpty();
    assertThat(c.entriesBaselined()).isEqualTo(4); // /b, /b/three, /b/deep, /b/deep/four
    assertThat(fx.store.get("/b/deep/four")).isNotNull();
    assertThat(engine.rules().config().version()).isEqualTo("v2");

    // now monitored like any other file
    fx.write("/b/three", "changed");
    engine.fullScan(DetectionSource.Scan);
    assertThat(fx.drain())
        .extracting(FimEvent::getChangeType, FimEvent::getFilePath)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ChangeType.Modified, "/b/three"));
  }

  @Test
  void removedRuleDropsItsEntriesWithoutDeletedEvents() throws IOException {
    engine.applyConfig(config("v2", rule("/a"), rule("/b")));
    fx.drain();

    ScanEngine.ConfigChange c = engine.applyConfig(config("v3", rule("/b")));

    assertThat(fx.drain()).isEmpty();
    assertThat(c.removedRoots()).containsExactly("/a");
    assertThat(c.entriesDropped()).isEqualTo(4);
    assertThat(fx.store.get("/a/one")).isNull();
    assertThat(fx.store.get("/b/three")).isNotNull();

    // what is no longer monitored makes no event, deleted or not
    Files.delete(fx.p("/a/one"));
    engine.fullScan(DetectionSource.Scan);
    assertThat(fx.drain()).isEmpty();
  }

  @Test
  void realChangesUnderKeptRulesAreStillReported() throws IOException {
    fx.write("/a/one", "changed while the config moved");
    engine.applyConfig(config("v2", rule("/a"), rule("/b")));
    // /a is not walked by the reload (its rule did not change): the next scan reports it
    engine.fullScan(DetectionSource.Scan);
    assertThat(fx.drain())
        .extracting(FimEvent::getChangeType, FimEvent::getFilePath)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ChangeType.Modified, "/a/one"));
  }

  @Test
  void changedRuleOnTheSameRootMovesSelectionQuietly() throws IOException {
    fx.write("/a/x.conf", "c");
    fx.drain();
    engine.fullScan(DetectionSource.Scan);
    assertThat(fx.drain()).extracting(FimEvent::getChangeType).containsExactly(ChangeType.Created);

    AgentRule onlyConf = rule("/a", true, List.of("*.conf"), List.of(), 1 << 20);
    engine.applyConfig(config("v2", onlyConf));
    assertThat(fx.drain()).isEmpty();
    assertThat(fx.store.get("/a/one")).isNull();
    assertThat(fx.store.get("/a/x.conf")).isNotNull();
  }
}
