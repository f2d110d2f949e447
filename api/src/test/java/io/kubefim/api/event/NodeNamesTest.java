package io.kubefim.api.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeNamesTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "aks-system-12345678-vmss000000, aks-system-12345678-vmss000000",
    "MyLaptop, mylaptop",
    "build_box.Example.COM, build-box.example.com",
    "-edge-., edge",
    "'  ', localhost",
    "<script>alert(1)</script>, script-alert-1---script"
  })
  void makesANodeNameFromAHostName(String host, String node) {
    assertThat(NodeNames.fromHostname(host)).isEqualTo(node);
    assertThat(NodeNames.isValid(node)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"Node-A", "node-", "-node", "node..a", "a_b", "<script>"})
  void refusesWhatTheApiServerRefuses(String name) {
    assertThat(NodeNames.isValid(name)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"n1", "ip-10-0-1-17.eu-west-1.compute.internal", "0"})
  void acceptsNodeNames(String name) {
    assertThat(NodeNames.isValid(name)).isTrue();
    assertThat(NodeNames.isValid("a".repeat(254))).isFalse();
  }
}
