package io.kubefim.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.agent.health.AgentHealth;
import io.kubefim.agent.health.Workers;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Half-open and slow clients cannot keep {@code /q/health/live} from answering (the kubelet would
 * restart a healthy agent): raw sockets that send half a request, or nothing, and hold it.
 */
class SlowClientHealthIT {
  final List<Socket> held = new ArrayList<>();
  HttpEndpoints endpoints;

  @AfterEach
  void tearDown() throws Exception {
    for (Socket s : held) {
      s.close();
    }
    if (endpoints != null) {
      endpoints.close();
    }
  }

  Socket hold(String partial) throws Exception {
    Socket s = new Socket("127.0.0.1", endpoints.port());
    held.add(s);
    if (!partial.isEmpty()) {
      OutputStream o = s.getOutputStream();
      o.write(partial.getBytes(StandardCharsets.US_ASCII));
      o.flush();
    }
    return s;
  }

  HttpResponse<String> live() throws Exception {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .build()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + endpoints.port() + "/q/health/live"))
                .timeout(Duration.ofSeconds(5)) // a correctness bound, not a measurement
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void liveAnswersWhileHalfOpenClientsHoldTheirConnections() throws Exception {
    endpoints =
        new HttpEndpoints(0, new AgentHealth(new Workers(), () -> true), new AgentMetrics());
    hold("");
    for (int i = 0; i < 20; i++) {
      hold("GET /q/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // head never ends
    }
    hold("GE");
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = live();
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).startsWith("{\"status\":\"UP\"");
    }
  }

  @Test
  void moreHalfOpenClientsThanTheConnectionLimitStillLeaveRoomForAProbe() throws Exception {
    endpoints =
        new HttpEndpoints(0, new AgentHealth(new Workers(), () -> true), new AgentMetrics());
    for (int i = 0; i < HttpEndpoints.MAX_CONNECTIONS + 20; i++) {
      hold("GET /q/health/live HTTP/1.1\r\n");
    }
    assertThat(live().statusCode()).isEqualTo(200);
  }

  @Test
  void aHalfOpenConnectionIsClosedAfterTheRequestTimeout() throws Exception {
    try (NonBlockingHttpServer server =
        new NonBlockingHttpServer(
            0,
            Map.of(
                "/x",
                new NonBlockingHttpServer.Route(
                    () -> NonBlockingHttpServer.Response.text(200, "x"), true)),
            200,
            16,
            "test-http")) {
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        s.getOutputStream().write("GET /x HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        s.setSoTimeout(10_000); // a bound: the server closes it after 200 ms
        InputStream in = s.getInputStream();
        int b;
        try {
          b = in.read();
        } catch (SocketTimeoutException e) {
          b = -2;
        }
        assertThat(b).as("closed by the server, not answered, not held").isEqualTo(-1);
      }
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        s.getOutputStream().write("GET /x?a=1 HTTP/1.1\r\nHost: h\r\n\r\n".getBytes());
        String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(answer)
            .startsWith("HTTP/1.1 200 OK\r\n")
            .contains("Connection: close")
            .endsWith("x");
      }
    }
  }
}
