package io.kubefim.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ApiServerCheckTest {
  static KubernetesClient clientFor(String url) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder()
                .withMasterUrl(url)
                .withRequestRetryBackoffLimit(0)
                .withTrustCerts(true)
                .build())
        .build();
  }

  @Test
  void nothingListeningIsUnreachableAndSaysWhy() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    try (KubernetesClient c = clientFor("http://127.0.0.1:" + port)) {
      assertThat(ApiServerCheck.unreachable(c)).contains("Connection refused");
    }
  }

  @Test
  void anyHttpAnswerCountsAsReachable() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        x -> {
          byte[] b = "{\"kind\":\"Status\",\"code\":403}".getBytes();
          x.sendResponseHeaders(403, b.length);
          x.getResponseBody().write(b);
          x.close();
        });
    server.start();
    try (KubernetesClient c = clientFor("http://127.0.0.1:" + server.getAddress().getPort())) {
      assertThat(ApiServerCheck.unreachable(c)).isNull();
    } finally {
      server.stop(0);
    }
  }
}
