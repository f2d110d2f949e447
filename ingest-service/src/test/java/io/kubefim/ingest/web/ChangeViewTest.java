package io.kubefim.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.event.Attribution;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChangeViewTest {
  private static final String CONTAINER = "0123456789abcdef".repeat(4);

  static Stream<Arguments> whoSummaries() {
    return Stream.of(
        Arguments.of("nothing known", (UnaryOperator<Attribution>) a -> a, ""),
        Arguments.of(
            "process in a pod",
            (UnaryOperator<Attribution>)
                a ->
                    a.setProcessName("vim")
                        .setProcessId(4242L)
                        .setContainerId(CONTAINER)
                        .setPodName("debug-x")
                        .setPodNamespace("default"),
            "vim (pid 4242) · pod default/debug-x"),
        Arguments.of(
            "host process",
            (UnaryOperator<Attribution>) a -> a.setProcessName("vim").setProcessId(4242L),
            "vim (pid 4242) · host"),
        Arguments.of(
            "exited before its name was read",
            (UnaryOperator<Attribution>) a -> a.setProcessName("").setProcessId(77L),
            "pid 77 · host"),
        Arguments.of(
            "container whose pod is unknown",
            (UnaryOperator<Attribution>)
                a -> a.setProcessName("sh").setProcessId(9L).setContainerId(CONTAINER),
            "sh (pid 9) · container 0123456789ab"),
        Arguments.of(
            "container name without pod",
            (UnaryOperator<Attribution>)
                a -> a.setProcessId(9L).setContainerId(CONTAINER).setContainerName("shell"),
            "pid 9 · container shell"),
        Arguments.of(
            "short container id of an old row",
            (UnaryOperator<Attribution>) a -> a.setProcessId(9L).setContainerId("abc"),
            "pid 9 · container abc"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("whoSummaries")
  void whoColumn(String name, UnaryOperator<Attribution> attribution, String expected) {
    assertThat(ChangeView.whoSummary(attribution.apply(new Attribution()))).isEqualTo(expected);
  }
}
