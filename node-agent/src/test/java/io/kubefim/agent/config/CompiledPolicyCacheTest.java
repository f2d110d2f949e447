package io.kubefim.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubefim.agent.config.ConfigSource.InvalidConfigException;
import io.kubefim.api.config.AgentConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompiledPolicyCacheTest {
  private static final String POLICY =
      """
      apiVersion: kubefim.io/v1alpha1
      kind: FimPolicy
      metadata: {name: etc}
      spec:
        rules:
          - paths: [%s]
      """;

  @TempDir Path tmp;
  Path policies;
  CompiledPolicyCache cache;

  @BeforeEach
  void setUp() throws IOException {
    policies = Files.createDirectories(tmp.resolve("policies"));
    Files.writeString(policies.resolve("etc.yaml"), POLICY.formatted("/etc"));
    cache = new CompiledPolicyCache(tmp.resolve("state").resolve(CompiledPolicyCache.FILE), "jar1");
  }

  private AgentConfig load(CompiledPolicyCache c) throws InvalidConfigException {
    return new PolicyDirConfigSource(policies, "node-a", c).load();
  }

  @Test
  void anUnchangedDirectoryIsServedFromTheCacheWithTheSameConfig() throws Exception {
    AgentConfig compiled = load(null);
    assertThat(load(cache)).isEqualTo(compiled); // miss: compiled and stored
    assertThat(cache.get(cache.key(policies, "node-a"))).contains(compiled);
    assertThat(load(cache)).isEqualTo(compiled); // hit
  }

  @Test
  void anyEditAddedFileOtherNodeOrOtherBuildIsAMiss() throws Exception {
    load(cache);
    String key = cache.key(policies, "node-a");

    // same length, different bytes
    Files.writeString(policies.resolve("etc.yaml"), POLICY.formatted("/usr"));
    assertThat(cache.key(policies, "node-a")).isNotEqualTo(key);
    assertThat(load(cache).rules().get(0).path()).isEqualTo("/usr");

    String edited = cache.key(policies, "node-a");
    Files.writeString(policies.resolve("more.yaml"), POLICY.formatted("/boot"));
    assertThat(cache.key(policies, "node-a")).isNotEqualTo(edited);
    assertThat(cache.key(policies, "node-b")).isNotEqualTo(cache.key(policies, "node-a"));
    CompiledPolicyCache otherBuild =
        new CompiledPolicyCache(tmp.resolve("state").resolve(CompiledPolicyCache.FILE), "jar2");
    assertThat(otherBuild.key(policies, "node-a")).isNotEqualTo(cache.key(policies, "node-a"));
  }

  @Test
  void anInvalidDirectoryIsReportedEvenAfterAValidOneWasCached() throws Exception {
    load(cache);
    Files.writeString(policies.resolve("etc.yaml"), POLICY.formatted("etc-without-slash"));

    assertThatThrownBy(() -> load(cache))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("etc.yaml");
  }

  @Test
  void aDamagedCacheFileIsAMissNotAFailure() throws Exception {
    AgentConfig compiled = load(null);
    Files.createDirectories(tmp.resolve("state"));
    Files.writeString(tmp.resolve("state").resolve(CompiledPolicyCache.FILE), "{not json");

    assertThat(cache.get(cache.key(policies, "node-a"))).isEmpty();
    assertThat(load(cache)).isEqualTo(compiled);
    assertThat(cache.get(cache.key(policies, "node-a"))).contains(compiled);
  }
}
