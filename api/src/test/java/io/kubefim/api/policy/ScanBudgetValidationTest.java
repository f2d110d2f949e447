package io.kubefim.api.policy;

import static io.kubefim.api.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.compile.PolicyCompiler;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.ScanBudget;
import io.kubefim.api.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** spec.scanRate, scanThreads, scanNice, scanIoClass (issue 18). */
class ScanBudgetValidationTest {
  private static final String RULES = "rules: [{paths: [/etc]}]\n";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not a quantity | scanRate: fast | spec.scanRate: not a byte rate: \"fast\"",
        "per minute | scanRate: 50Mi/s | spec.scanRate: not a byte rate",
        "too slow | scanRate: 512Ki | spec.scanRate: must be at least 1Mi (got 512Ki)",
        "no threads | scanThreads: 0 | spec.scanThreads: must be from 1 to 64 (got 0)",
        "too many | scanThreads: 65 | spec.scanThreads: must be from 1 to 64 (got 65)",
        "negative nice | scanNice: -5 | spec.scanNice: must be from 0 to 19 (got -5)",
        "nice 20 | scanNice: 20 | spec.scanNice: must be from 0 to 19 (got 20)",
        "realtime class | scanIoClass: realtime"
            + " | spec.scanIoClass: must be idle or best-effort (got \"realtime\")",
      })
  void namesTheFieldAndWhatIsWrong(String what, String yaml, String problem) {
    assertThat(PolicyValidator.validate(policy("p", RULES + yaml)))
        .extracting(ValidationProblem::toString)
        .anySatisfy(p -> assertThat(p).startsWith(problem.trim()));
  }

  @Test
  void aValidBudgetReachesTheAgentConfig() {
    FimPolicy p =
        policy("p", RULES + "scanRate: 50Mi\nscanThreads: 1\nscanNice: 10\nscanIoClass: idle\n");
    assertThat(PolicyValidator.validate(p)).isEmpty();

    AgentConfig config = PolicyCompiler.compile(List.of(p), "node-1", Map.of());

    assertThat(config.scanBudget()).isEqualTo(new ScanBudget(50L << 20, 1, 10, "idle"));
  }

  @Test
  void aPolicyWithoutABudgetKeepsItsConfigAsBefore() throws Exception {
    AgentConfig config = PolicyCompiler.compile(List.of(policy("p", RULES)), "node-1", Map.of());

    assertThat(config.policies().get(0).scanBudget()).isNull();
    assertThat(config.scanBudget()).isEqualTo(ScanBudget.NONE);
    assertThat(Json.mapper().writeValueAsString(config)).doesNotContain("scanBudget");
  }

  @Test
  void theStrictestOfEachFieldWins() {
    ScanBudget merged =
        ScanBudget.strictest(
            List.of(
                new ScanBudget(100L << 20, 4, 5, "idle"),
                new ScanBudget(50L << 20, null, 10, "best-effort"),
                new ScanBudget(null, 2, null, null)));

    assertThat(merged).isEqualTo(new ScanBudget(50L << 20, 2, 10, "idle"));
  }
}
