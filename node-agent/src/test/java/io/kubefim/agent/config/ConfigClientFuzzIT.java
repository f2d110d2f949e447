package io.kubefim.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.fakes.FakeConfigService;
import io.kubefim.agent.health.Workers;
import io.kubefim.agent.remote.TokenFile;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConfigServiceClient} against a config-service that answers 200 with mutated bodies: every
 * body the agent cannot run is refused (not saved, not applied, the config in force kept), the
 * client thread lives on, and the next good config is taken.
 */
class ConfigClientFuzzIT {
  @TempDir Path state;

  @Test
  void mutatedBodiesAreRefusedAndTheClientLivesOn() throws Exception {
    AgentConfig initial = AgentConfigFuzzProperties.ConfigMutator.valid();
    List<AgentConfig> applied = new CopyOnWriteArrayList<>();
    Workers workers = new Workers();
    SavedConfig saved = new SavedConfig(state);
    saved.save(initial);
    try (FakeConfigService fake = FakeConfigService.start(0, initial);
        ConfigServiceClient client =
            new ConfigServiceClient(
                fake.url(), "node-a", TokenFile.none(), saved, Duration.ofSeconds(1), 1, 5)) {
      AgentConfig badGlob =
          new AgentConfig(
              AgentConfig.FORMAT_VERSION,
              "v-bad",
              "node-a",
              initial.policies(),
              List.of(initial.rules().get(0), Fixture.rule("/var/lib/[z-a]")));
      fake.rawConfigBody = Json.mapper().writeValueAsBytes(badGlob);
      client.start(initial, applied::add, workers);
      await().atMost(Duration.ofSeconds(30)).until(() -> fake.configRequests.get() >= 2);
      assertThat(applied).as("a glob the engine cannot compile is not applied").isEmpty();
      assertThat(client.latest()).isEqualTo(initial);
      assertThat(saved.load()).as("nor saved").contains(initial);

      Random r = new Random(0xC11E_4700L);
      for (int i = 0; i < 25; i++) {
        fake.rawConfigBody = AgentConfigFuzzProperties.ConfigMutator.input(r);
        int before = fake.configRequests.get();
        // two requests after the body was set: the first of them surely got this body
        await().atMost(Duration.ofSeconds(30)).until(() -> fake.configRequests.get() >= before + 2);
      }
      for (AgentConfig c : applied) {
        new RuleSet(c); // whatever got through is a config the engine can run
        AgentConfigParser.check(c);
      }
      AgentConfig latest = client.latest();
      assertThat(latest).isNotNull();
      assertThat(saved.load()).as("the saved config is one the agent can run").contains(latest);

      AgentConfig next =
          new AgentConfig(
              AgentConfig.FORMAT_VERSION, "v-next", "node-a", initial.policies(), initial.rules());
      fake.rawConfigBody = null;
      fake.publish(next);
      await().atMost(Duration.ofSeconds(30)).until(() -> applied.contains(next));
      assertThat(client.latest()).isEqualTo(next);
      assertThat(saved.load()).contains(next);
      assertThat(workers.stopped()).as("no thread died").isEmpty();
    }
  }
}
