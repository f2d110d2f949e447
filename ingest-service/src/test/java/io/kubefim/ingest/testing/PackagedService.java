package io.kubefim.ingest.testing;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * The packaged service (target/quarkus-app, built by {@code package} before the tests that use it
 * run) as a child process of the test, for what only a real process shows: {@code kill -9}, two
 * replicas on one database. Agent authentication off and readers open, a small heap.
 */
public final class PackagedService {
  public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

  private final Process process;
  private final int port;
  private final Path log;

  private PackagedService(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts it on a free port with {@code options} (-D…), its output in {@code log}. */
  public static PackagedService start(Path log, List<String> options) throws IOException {
    assertThat(JAR).as("the packaged service (mvn package runs before this test)").exists();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx128m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dquarkus.http.port=" + port,
            "-Dkubefim.auth.mode=none",
            "-Dkubefim.readers.mode=open"));
    command.addAll(options);
    command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new PackagedService(p, port, log);
  }

  /** Waits until it answers ready; fails with its log if it exits or takes longer than that. */
  public PackagedService awaitReady(HttpClient http, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("service exited: %s", log()).isTrue();
      try {
        HttpResponse<String> h =
            http.send(
                HttpRequest.newBuilder(URI.create(url("/q/health/ready")))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (h.statusCode() == 200) {
          return this;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("service not ready within " + timeout + ": " + log());
  }

  public Process process() {
    return process;
  }

  public int port() {
    return port;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** Its output so far. */
  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "(no log " + log + ")";
  }
}
