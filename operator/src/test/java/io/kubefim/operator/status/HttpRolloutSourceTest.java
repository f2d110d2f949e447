package io.kubefim.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

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
}
