package io.kubefim.api.pods;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubefim.api.json.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PodIdentitiesTest {
  static final String A = "a".repeat(64);
  static final String B = "b".repeat(64);
  static final String C = "c".repeat(64);
  static final String D = "d".repeat(64);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      nullValues = "null",
      value = {
        "containerd://" + "0123abcd, 0123abcd",
        "cri-o://0123abcd, 0123abcd",
        "docker://0123abcd, 0123abcd",
        "0123abcd, 0123abcd",
        "' containerd://0123abcd ', 0123abcd",
        "containerd://, null",
        "'', null",
        "null, null",
      })
  void bareContainerIdStripsTheRuntimePrefix(String status, String bare) {
    assertThat(PodIdentities.bareContainerId(status)).isEqualTo(bare);
  }

  static ContainerStatus running(String name, String containerId) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withContainerID(containerId)
        .withNewState()
        .withNewRunning()
        .endRunning()
        .endState()
        .build();
  }

  static Pod pod(
      List<ContainerStatus> init, List<ContainerStatus> main, List<ContainerStatus> ephemeral) {
    return new PodBuilder()
        .withNewMetadata()
        .withUid("5f0c6a3e-1d2b-4c8e-9a7f-0e1d2c3b4a59")
        .withName("web-0")
        .withNamespace("shop")
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-a")
        .endSpec()
        .withNewStatus()
        .withInitContainerStatuses(init)
        .withContainerStatuses(main)
        .withEphemeralContainerStatuses(ephemeral)
        .endStatus()
        .build();
  }

  static Stream<Arguments> pods() {
    ContainerStatus restarted =
        new ContainerStatusBuilder(running("app", "containerd://" + B))
            .withNewLastState()
            .withNewTerminated()
            .withContainerID("containerd://" + A)
            .withExitCode(137)
            .endTerminated()
            .endLastState()
            .build();
    ContainerStatus waiting =
        new ContainerStatusBuilder()
            .withName("sidecar")
            .withNewState()
            .withNewWaiting()
            .withReason("ContainerCreating")
            .endWaiting()
            .endState()
            .build();
    return Stream.of(
        Arguments.of(
            "one containerd container",
            pod(null, List.of(running("app", "containerd://" + A)), null),
            List.of(new ContainerIdentity(A, "app"))),
        Arguments.of(
            "init, regular and ephemeral (kubectl debug) containers, cri-o",
            pod(
                List.of(running("migrate", "cri-o://" + A)),
                List.of(running("app", "cri-o://" + B)),
                List.of(running("debugger-x7k2p", "cri-o://" + C))),
            List.of(
                new ContainerIdentity(A, "migrate"),
                new ContainerIdentity(B, "app"),
                new ContainerIdentity(C, "debugger-x7k2p"))),
        Arguments.of(
            "docker runtime",
            pod(null, List.of(running("app", "docker://" + D)), null),
            List.of(new ContainerIdentity(D, "app"))),
        Arguments.of(
            "a restarted container: current and last terminated instance",
            pod(null, List.of(restarted), null),
            List.of(new ContainerIdentity(B, "app"), new ContainerIdentity(A, "app"))),
        Arguments.of(
            "a container not started yet has no id and is left out",
            pod(null, List.of(running("app", "containerd://" + A), waiting), null),
            List.of(new ContainerIdentity(A, "app"))),
        Arguments.of(
            "the same id listed twice appears once",
            pod(
                null,
                List.of(running("app", "containerd://" + A), running("app", "containerd://" + A)),
                null),
            List.of(new ContainerIdentity(A, "app"))),
        Arguments.of("no container status yet", pod(null, null, null), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pods")
  void mapsThePodAndItsContainers(String title, Pod pod, List<ContainerIdentity> containers) {
    PodIdentity p = PodIdentities.of(pod);
    assertThat(p.formatVersion()).isEqualTo(1);
    assertThat(p.uid()).isEqualTo("5f0c6a3e-1d2b-4c8e-9a7f-0e1d2c3b4a59");
    assertThat(p.name()).isEqualTo("web-0");
    assertThat(p.namespace()).isEqualTo("shop");
    assertThat(p.containers()).containsExactlyElementsOf(containers);
  }

  @Test
  void aPodWithoutStatusHasNoContainers() {
    Pod pod = new PodBuilder().withNewMetadata().withUid("u").withName("n").endMetadata().build();
    PodIdentity p = PodIdentities.of(pod);
    assertThat(p.uid()).isEqualTo("u");
    assertThat(p.namespace()).isNull();
    assertThat(p.containers()).isEmpty();
  }

  @Test
  void containerNameFindsTheNameByBareId() {
    PodIdentity p =
        PodIdentities.of(
            pod(
                List.of(running("migrate", "containerd://" + A)),
                List.of(running("app", "containerd://" + B)),
                null));
    assertThat(p.containerName(B)).contains("app");
    assertThat(p.containerName(A)).contains("migrate");
    assertThat(p.containerName(C)).isEmpty();
    assertThat(p.containerName("containerd://" + B)).as("bare ids only").isEmpty();
  }

  @Test
  void wireFormatRoundTrips() throws Exception {
    PodIdentity p = PodIdentities.of(pod(null, List.of(running("app", "containerd://" + A)), null));
    String json = Json.mapper().writeValueAsString(p);
    JsonNode tree = Json.mapper().readTree(json);
    assertThat(tree.get("formatVersion").asInt()).isEqualTo(1);
    assertThat(tree.get("uid").asText()).isEqualTo("5f0c6a3e-1d2b-4c8e-9a7f-0e1d2c3b4a59");
    assertThat(tree.get("name").asText()).isEqualTo("web-0");
    assertThat(tree.get("namespace").asText()).isEqualTo("shop");
    assertThat(tree.get("containers").get(0).get("id").asText()).isEqualTo(A);
    assertThat(tree.get("containers").get(0).get("name").asText()).isEqualTo("app");
    assertThat(Json.mapper().readValue(json, PodIdentity.class)).isEqualTo(p);
    // a newer peer may add fields
    assertThat(
            Json.mapper()
                .readValue(
                    "{\"formatVersion\":2,\"uid\":\"u\",\"containers\":[],\"qos\":\"Burstable\"}",
                    PodIdentity.class)
                .uid())
        .isEqualTo("u");
  }
}
