package io.kubefim.config.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubefim.api.compile.PolicySet;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.json.Json;
import io.kubefim.api.policy.PolicyFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigBodiesTest {
  private final ObjectMapper mapper = Json.mapper();
  private final ConfigBodies bodies = new ConfigBodies(mapper);

  @Test
  void everyAnswerIsWhatJacksonWritesAndNodesOfOneSelectionShareATemplate() throws Exception {
    Path example = Path.of("..", "examples", "policies", "linux-recommended.yaml");
    PolicySet set = new PolicySet(PolicyFiles.load(example).policies());
    Map<String, String> linux = Map.of("kubernetes.io/os", "linux");
    for (String node :
        List.of(
            "aks-pool-1", "n\"quote", "tab\tnode", "\u00e9t\u00e9", "back\\slash", "\u0000node")) {
      AgentConfig config = set.compile(node, linux).config();
      assertThat(config.rules()).isNotEmpty();
      assertThat(new String(bodies.json(config), StandardCharsets.UTF_8))
          .isEqualTo(mapper.writeValueAsString(config));
      assertThat(mapper.readValue(bodies.json(config), AgentConfig.class)).isEqualTo(config);
    }
    assertThat(bodies.templates()).isEqualTo(1);
  }

  @Test
  void aConfigWithoutANodeIsSerializedWhole() throws Exception {
    AgentConfig config = new AgentConfig(1, "abc", null, List.of(), List.of());
    assertThat(new String(bodies.json(config), StandardCharsets.UTF_8))
        .isEqualTo(mapper.writeValueAsString(config));
    assertThat(bodies.templates()).isZero();
  }
}
