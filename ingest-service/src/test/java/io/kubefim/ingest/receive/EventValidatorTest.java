package io.kubefim.ingest.receive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.ingest.testing.TestEvents;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventValidatorTest {
  private final EventValidator validator = new EventValidator(4096, 16384);

  static Stream<Arguments> cases() {
    return Stream.of(
        c("valid file event", e -> {}, null),
        c("valid agent event", null, null),
        c("offset time", e -> e.put("TimeGenerated", "2024-05-01T12:00:00+02:00"), null),
        c("unknown field ignored", e -> e.put("NewField", 1), null),
        c("null optional", e -> e.putNull("FileSha256"), null),
        c("null required", e -> e.putNull("Computer"), "Computer: missing"),
        c(
            "local time",
            e -> e.put("TimeGenerated", "2024-05-01T12:00:00"),
            "TimeGenerated: not an RFC 3339"),
        c("size negative", e -> e.put("FileSize", -1), "FileSize: expected a whole number from 0"),
        c(
            "size fraction",
            e -> e.put("FileSize", 1.5),
            "FileSize: expected a whole number, got a number"),
        c(
            "upper hex",
            e -> e.put("FileSha256", "A".repeat(64)),
            "FileSha256: expected 64 lowercase"),
        c(
            "bad field changed",
            e -> e.putArray("FieldsChanged").add("Mtime"),
            "FieldsChanged: unknown value \"Mtime\""),
        c("root path ok", e -> e.put("FilePath", "/"), null),
        c("relative", e -> e.put("FilePath", "etc"), "FilePath: not an absolute path"),
        c("nul", e -> e.put("FilePath", "/etc/a\u0000b"), "FilePath: contains a NUL"),
        c("blank computer", e -> e.put("Computer", " "), "Computer: blank"),
        c(
            "long text",
            e -> e.put("ErrorMessage", "x".repeat(16385)),
            "ErrorMessage: 16385 characters"),
        c(
            "tags non string",
            e -> e.putObject("Tags").put("a", 1),
            "Tags: tag \"a\": expected a string"),
        c(
            "policy names",
            e -> e.putArray("PolicyNames").add(3),
            "PolicyNames: entry expected a string"),
        c(
            "file change on agent",
            e -> e.put("MonitoredEntityType", "Agent"),
            "ChangeType: Modified is a File change"));
  }

  private static Arguments c(String name, Consumer<ObjectNode> change, String problem) {
    return Arguments.of(name, change, problem);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void table(String name, Consumer<ObjectNode> change, String problem) {
    ObjectNode e =
        change == null
            ? TestEvents.agent("n1", "BaselineCreated")
            : TestEvents.file("n1", "/etc/x");
    if (change != null) {
      change.accept(e);
    }
    List<String> problems = validator.problems(e);
    if (problem == null) {
      assertThat(problems).isEmpty();
    } else {
      assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(problem));
    }
  }

  @org.junit.jupiter.api.Test
  void reportsEveryProblemAtOnce() {
    ObjectNode e = TestEvents.file("n1", "relative");
    e.remove("EventId");
    e.put("FileSize", "big");
    assertThat(validator.problems(e)).hasSize(3);
  }

  @org.junit.jupiter.api.Test
  void notAnObject() {
    assertThat(validator.problems(io.kubefim.api.json.Json.mapper().createArrayNode()))
        .containsExactly("expected a JSON object, got an array");
  }
}
