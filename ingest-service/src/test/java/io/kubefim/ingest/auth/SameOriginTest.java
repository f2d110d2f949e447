package io.kubefim.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SameOriginTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        // origin, referer, host, forwarded host, required, refused?
        Arguments.of("http://localhost:8080", null, "localhost:8080", null, true, false),
        Arguments.of("https://FIM.example.com", null, "fim.example.com", null, true, false),
        Arguments.of(
            null, "http://localhost:8080/machines/n1?x=1", "localhost:8080", null, true, false),
        Arguments.of(
            "https://fim.example.com", null, "10.0.0.7:8080", "fim.example.com", true, false),
        Arguments.of("https://evil.example", null, "localhost:8080", null, true, true),
        Arguments.of("http://localhost:9999", null, "localhost:8080", null, true, true),
        Arguments.of("null", null, "localhost:8080", null, true, true),
        Arguments.of(null, "https://evil.example/x", "localhost:8080", null, true, true),
        Arguments.of(
            "https://localhost:8080.evil.example", null, "localhost:8080", null, true, true),
        Arguments.of(null, null, "localhost:8080", null, true, true),
        Arguments.of(null, null, "localhost:8080", null, false, false),
        Arguments.of("https://evil.example", null, "localhost:8080", null, false, true));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void onlyThisServicesOwnPagesPass(
      String origin,
      String referer,
      String host,
      String forwarded,
      boolean required,
      boolean refused) {
    assertThat(SameOrigin.problem(origin, referer, host, forwarded, required).isPresent())
        .isEqualTo(refused);
  }
}
