package io.kubefim.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SupersededTest {
  @Test
  void aSubtreeHoldsWhatIsBelowItAndNotItsNeighbours() {
    Superseded s = new Superseded();
    assertThat(s.isEmpty()).isTrue();
    s.add("/data/a", true);
    s.add("/etc/passwd", false);

    assertThat(s.contains("/data/a")).isTrue();
    assertThat(s.contains("/data/a/b/c")).isTrue();
    assertThat(s.contains("/data/ab")).as("a neighbour with the same prefix").isFalse();
    assertThat(s.contains("/data")).isFalse();
    assertThat(s.contains("/etc/passwd")).isTrue();
    assertThat(s.contains("/etc/passwd/x")).as("a single path is not a subtree").isFalse();
  }

  @Test
  void theRootHoldsEverything() {
    Superseded s = new Superseded();
    s.add("/", true);
    assertThat(s.contains("/anything/at/all")).isTrue();
  }
}
