package io.kubefim.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubefim.agent.Fixture;
import io.kubefim.agent.config.SavedConfig;
import io.kubefim.agent.fakes.FakeConfigService;
import io.kubefim.agent.fakes.FakeIngest;
import io.kubefim.agent.ship.OutboxDrainer;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.status.NodeStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code run} in-process against fakes of config-service and ingest-service on real ports, with
 * real files and real inotify: hot reload without restart, heartbeats, a saved config while
 * config-service is down, the bearer token on every request.
 */
class RunRemoteIT {
  @TempDir Path tmp;
  Path host;
  Path state;
  final List<FakeConfigService> configs = new ArrayList<>();
  final List<FakeIngest> ingests = new ArrayList<>();
  RunCommand cmd;
  Thread runner;

  @BeforeEach
  void setUp() throws IOException {
    host = Files.createDirectories(tmp.resolve("host"));
    state = tmp.resolve("state");
    write("/data/a/x", "x");
    write("/data/b/pre1", "1");
    write("/data/b/sub/pre2", "2");
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (cmd != null) {
      cmd.stop();
      runner.join(20_000);
    }
    configs.forEach(FakeConfigService::close);
    ingests.forEach(FakeIngest::close);
  }

  void write(String hostPath, String content) throws IOException {
    Path f = host.resolve(hostPath.substring(1));
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
  }

  static AgentConfig config(String version, AgentRule... rules) {
    return new AgentConfig(
        1,
        version,
        "node-a",
        List.of(new AgentConfig.AppliedPolicy("test-policy", 1)),
        List.of(rules));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  void run(String... extra) {
    cmd = new RunCommand();
    cmd.configWait = Duration.ofSeconds(2);
    cmd.retryBaseMillis = 20;
    cmd.retryCapMillis = 200;
    cmd.heartbeatInterval = Duration.ofMillis(300);
    cmd.shipLimits = new OutboxDrainer.Limits(500, 1_000_000, 20, 200);
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--state",
                state.toString(),
                "--host-root",
                host.toString(),
                "--node",
                "node-a",
                "--http-port",
                "0"));
    args.addAll(List.of(extra));
    runner =
        new Thread(
            () -> new CommandLine(cmd).execute(args.subList(1, args.size()).toArray(String[]::new)),
            "test-agent");
    runner.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> cmd.httpPort().isPresent());
  }

  int health() {
    try {
      Optional<Integer> port = cmd.httpPort();
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port.orElseThrow() + "/q/health/ready"))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  static Predicate<JsonNode> is(String changeType, String path) {
    return e ->
        changeType.equals(e.path("ChangeType").asText())
            && (path == null || path.equals(e.path("FilePath").asText()));
  }

  static boolean any(FakeIngest ingest, Predicate<JsonNode> p) {
    return ingest.events.values().stream().anyMatch(p);
  }

  @Test
  void hotReloadAddsAndRemovesRulesWithoutRestartOrFlood() throws Exception {
    Path token = tmp.resolve("token");
    Files.writeString(token, "tok-1");
    FakeConfigService cs = FakeConfigService.start(0, config("v1", Fixture.rule("/data/a")));
    configs.add(cs);
    FakeIngest ingest = FakeIngest.start(0);
    ingests.add(ingest);
    cs.requiredToken = "tok-1";
    ingest.requiredToken = "tok-1";

    run(
        "--config-url", cs.url(),
        "--ingest-url", ingest.url(),
        "--token-file", token.toString());

    await().atMost(Duration.ofSeconds(30)).until(() -> health() == 200);
    await().atMost(Duration.ofSeconds(10)).until(() -> any(ingest, is("BaselineCreated", null)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              NodeStatus s = cs.lastHeartbeat();
              return s != null
                  && "v1".equals(s.appliedVersion())
                  && s.state() == NodeStatus.State.Ready;
            });
    assertThat(cs.lastHeartbeat().appliedPolicies())
        .containsExactly(new AgentConfig.AppliedPolicy("test-policy", 1));

    // a rule added: its files go into the baseline silently, then new files there are realtime
    cs.publish(config("v2", Fixture.rule("/data/a"), Fixture.rule("/data/b")));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                any(
                    ingest,
                    e ->
                        is("PolicyApplied", null).test(e)
                            && e.path("Details").asText().startsWith("config v2")));
    write("/data/b/new", "hello");
    await().atMost(Duration.ofSeconds(20)).until(() -> any(ingest, is("Created", "/data/b/new")));
    JsonNode created =
        ingest.events.values().stream().filter(is("Created", "/data/b/new")).findFirst().get();
    assertThat(created.path("DetectionSource").asText()).isEqualTo("Realtime");
    assertThat(ingest.events.values())
        .noneMatch(e -> e.path("FilePath").asText().matches("/data/b/(pre1|sub.*)"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "v2".equals(cs.lastHeartbeat().appliedVersion()));

    // a rule removed: no Deleted flood, and its files are no longer reported
    cs.publish(config("v3", Fixture.rule("/data/b")));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                any(
                    ingest,
                    e ->
                        is("PolicyApplied", null).test(e)
                            && e.path("Details").asText().startsWith("config v3")));
    Files.delete(host.resolve("data/a/x"));
    write("/data/b/marker", "m");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> any(ingest, is("Created", "/data/b/marker")));
    assertThat(ingest.events.values()).noneMatch(is("Deleted", null));
    assertThat(ingest.events.values())
        .noneMatch(e -> e.path("FilePath").asText().startsWith("/data/a/"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "v3".equals(cs.lastHeartbeat().appliedVersion()));

    assertThat(new SavedConfig(state).load()).map(AgentConfig::version).contains("v3");
    assertThat(cs.authorizations).isNotEmpty().allMatch("Bearer tok-1"::equals);
    assertThat(ingest.authorizations).isNotEmpty().allMatch("Bearer tok-1"::equals);
    assertThat(ingest.duplicates.get()).isZero();
  }

  @Test
  void savedConfigKeepsMonitoringWhileConfigServiceIsDown() throws Exception {
    new SavedConfig(state).save(config("v1", Fixture.rule("/data/a")));
    int csPort = freePort();
    Path out = tmp.resolve("events.ndjson");

    run("--config-url", "http://127.0.0.1:" + csPort, "--output", out.toString());

    await().atMost(Duration.ofSeconds(30)).until(() -> health() == 200);
    write("/data/a/while-down", "d");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Files.exists(out)
                    && Files.readString(out).contains("\"FilePath\":\"/data/a/while-down\""));

    // config-service comes back with a newer config: applied without a restart
    configs.add(
        FakeConfigService.start(
            csPort, config("v2", Fixture.rule("/data/a"), Fixture.rule("/data/b"))));
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(out).contains("config v2"));
  }

  @Test
  void firstStartWithoutConfigWaitsNotReadyUntilConfigServiceAnswers() throws Exception {
    int csPort = freePort();
    Path out = tmp.resolve("events.ndjson");

    run("--config-url", "http://127.0.0.1:" + csPort, "--output", out.toString());

    // several retries go by without a config: readiness stays DOWN
    await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(health()).isEqualTo(503);

    FakeConfigService cs = FakeConfigService.start(csPort, config("v1", Fixture.rule("/data/a")));
    configs.add(cs);
    await().atMost(Duration.ofSeconds(30)).until(() -> health() == 200);
    assertThat(new SavedConfig(state).load()).map(AgentConfig::version).contains("v1");
  }

  @Test
  void localPolicyEditAppliesLive() throws Exception {
    Path policies = Files.createDirectories(tmp.resolve("policies"));
    Path policy = policies.resolve("p.yaml");
    String yaml =
        "apiVersion: kubefim.io/v1alpha1\nkind: FimPolicy\nmetadata: {name: p}\n"
            + "spec:\n  debounce: 100ms\n  rules:\n    - paths: [%s]\n";
    Files.writeString(policy, yaml.formatted("/data/a"));
    Path out = tmp.resolve("events.ndjson");

    run("--policies", policies.toString(), "--output", out.toString());
    await().atMost(Duration.ofSeconds(30)).until(() -> health() == 200);

    Files.writeString(policy, yaml.formatted("/data/a, /data/b"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Files.readString(out).lines().filter(l -> l.contains("PolicyApplied")).count()
                    == 2);
    write("/data/b/later", "l");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Files.readString(out).contains("\"FilePath\":\"/data/b/later\""));
    assertThat(Files.readString(out)).doesNotContain("/data/b/pre1");
  }
}
