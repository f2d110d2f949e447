package io.kubefim.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.kubefim.api.json.Json;
import io.kubefim.api.policy.ValidationProblem;
import io.kubefim.api.status.PolicyRollout;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpRolloutSourceTest {
  @Test
  void unreachableConfigServiceIsUnavailableNotAnException() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    RolloutResult r =
        new HttpRolloutSource("http://127.0.0.1:" + port + "/", Duration.ofSeconds(1)).fetch("p");
    assertThat(r).isInstanceOf(RolloutResult.Unavailable.class);
    assertThat(((RolloutResult.Unavailable) r).reason()).isEqualTo("ConfigServiceUnavailable");
    assertThat(((RolloutResult.Unavailable) r).message()).contains("127.0.0.1:" + port);
  }

  @Test
  void sendsTheCurrentTokenOfItsFileAndReadsProblems(@TempDir Path dir) throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    PolicyRollout answer =
        new PolicyRollout(
            "p", 1, 0, 0, 0, List.of(), List.of(new ValidationProblem("spec", "broken")));
    byte[] body = Json.mapper().writeValueAsBytes(answer);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          seen.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try {
      Path token = Files.writeString(dir.resolve("token"), "first\n");
      HttpRolloutSource source =
          new HttpRolloutSource(
              "http://127.0.0.1:" + server.getAddress().getPort(),
              Duration.ofSeconds(5),
              Optional.of(token));

      RolloutResult r = source.fetch("p");
      Files.writeString(token, "rotated"); // the kubelet rotates the projected token
      source.fetch("p");

      assertThat(seen).containsExactly("Bearer first", "Bearer rotated");
      assertThat(r).isInstanceOf(RolloutResult.Reported.class);
      assertThat(((RolloutResult.Reported) r).rollout()).isEqualTo(answer);

      Files.delete(token);
      RolloutResult missing = source.fetch("p");
      assertThat(((RolloutResult.Unavailable) missing).message())
          .contains("cannot read the operator's token");
      assertThat(seen).hasSize(2);
    } finally {
      server.stop(0);
    }
  }
}
