package io.kubefim.ingest.receive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.api.event.Attribution;
import io.kubefim.ingest.testing.TestEvents;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventValidatorTest {
  private final EventValidator validator = new EventValidator(4096, 16384);

  @org.junit.jupiter.api.Test
  void aTimeGeneratedFarAheadOfTheClockIsRefusedNamingTheFieldAndTheSkew() {
    java.time.Clock now =
        java.time.Clock.fixed(
            java.time.Instant.parse("2026-12-02T12:00:00Z"), java.time.ZoneOffset.UTC);
    EventValidator v = new EventValidator(4096, 16384, java.time.Duration.ofHours(1), now);
    ObjectNode far = TestEvents.file("n1", "/etc/a");
    far.put("TimeGenerated", "9999-12-31T23:59:59Z");
    ObjectNode skewed = TestEvents.file("n1", "/etc/a");
    skewed.put("TimeGenerated", "2026-12-02T12:59:00Z"); // 59 minutes ahead: a clock off, accepted
    ObjectNode beyond = TestEvents.file("n1", "/etc/a");
    beyond.put("TimeGenerated", "2026-12-02T14:00:00+01:00"); // 13:00Z + 0: exactly the limit
    ObjectNode over = TestEvents.file("n1", "/etc/a");
    over.put("TimeGenerated", "2026-12-02T13:00:01Z");

    assertThat(v.problems(far))
        .containsExactly(
            "TimeGenerated: \"9999-12-31T23:59:59Z\" is more than 1h ahead of this service's clock"
                + " (kubefim.ingest.receive.max-future-skew): the node's clock is wrong");
    assertThat(v.problems(skewed)).isEmpty();
    assertThat(v.problems(beyond)).isEmpty();
    assertThat(v.problems(over)).hasSize(1);
  }

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
        c(
            "blank computer",
            e -> e.put("Computer", " "),
            "Computer: expected a Kubernetes node name"),
        c(
            "markup as computer",
            e -> e.put("Computer", "<script>alert(1)</script>"),
            "Computer: expected a Kubernetes node name (a DNS-1123 subdomain"),
        c(
            "upper-case computer",
            e -> e.put("Computer", "Node-A"),
            "Computer: expected a Kubernetes"),
        c("computer ending in a dash", e -> e.put("Computer", "node-"), "Computer: expected"),
        c(
            "computer of 254 characters",
            e -> e.put("Computer", "a".repeat(254)),
            "Computer: expected"),
        c("an AKS node name", e -> e.put("Computer", "aks-system-12345678-vmss000000"), null),
        c(
            "a dotted node name",
            e -> e.put("Computer", "ip-10-0-1-17.eu-west-1.compute.internal"),
            null),
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
        c("every attribution column", e -> attribute(e), null),
        c("exited writer: empty name", e -> e.put("InitiatingProcessName", ""), null),
        c(
            "command line at the agent's cut, with its suffix",
            e ->
                e.put(
                    "InitiatingProcessCommandLine",
                    "x".repeat(Attribution.MAX_COMMAND_LINE_CHARS)
                        + "... (2093056 characters cut)"),
            null),
        c(
            "command line not cut",
            e -> e.put("InitiatingProcessCommandLine", "x".repeat(16385)),
            "InitiatingProcessCommandLine: 16385 characters, more than 4160"),
        c(
            "command line a number",
            e -> e.put("InitiatingProcessCommandLine", 7),
            "InitiatingProcessCommandLine: expected a string"),
        c(
            "pid negative",
            e -> e.put("InitiatingProcessId", -1),
            "InitiatingProcessId: expected a whole number from 0"),
        c(
            "pid a string",
            e -> e.put("InitiatingProcessId", "4242"),
            "InitiatingProcessId: expected a whole number, got a string"),
        c(
            "parent pid negative",
            e -> e.put("InitiatingProcessParentId", -4),
            "InitiatingProcessParentId: expected a whole number from 0"),
        c(
            "uid fraction",
            e -> e.put("InitiatingProcessPosixUserId", 0.5),
            "InitiatingProcessPosixUserId: expected a whole number"),
        c(
            "login uid negative",
            e -> e.put("InitiatingProcessLoginUserId", -1),
            "InitiatingProcessLoginUserId: expected a whole number from 0"),
        c(
            "writers zero",
            e -> e.put("InitiatingProcessCount", 0),
            "InitiatingProcessCount: expected a whole number from 1"),
        c(
            "writers past int",
            e -> e.put("InitiatingProcessCount", 1L << 40),
            "InitiatingProcessCount: expected a whole number from 1"),
        c(
            "creation time not a time",
            e -> e.put("InitiatingProcessCreationTime", "yesterday"),
            "InitiatingProcessCreationTime: not an RFC 3339"),
        c(
            "creation time a number",
            e -> e.put("InitiatingProcessCreationTime", 1714558442),
            "InitiatingProcessCreationTime: expected an RFC 3339"),
        c(
            "process name with NUL",
            e -> e.put("InitiatingProcessName", "vi\u0000m"),
            "InitiatingProcessName: contains a NUL"),
        c(
            "parent name too long",
            e -> e.put("InitiatingProcessParentName", "p".repeat(4097)),
            "InitiatingProcessParentName: 4097 characters"),
        c(
            "image relative",
            e -> e.put("InitiatingProcessImageFilePath", "bin/vim"),
            "InitiatingProcessImageFilePath: not an absolute path"),
        c(
            "account blank",
            e -> e.put("InitiatingProcessAccountName", ""),
            "InitiatingProcessAccountName: blank"),
        c(
            "login account too long",
            e -> e.put("InitiatingProcessLoginAccountName", "a".repeat(254)),
            "InitiatingProcessLoginAccountName: 254 characters, more than 253"),
        c(
            "container id short",
            e -> e.put("ContainerId", "abc123"),
            "ContainerId: expected a container id of 64 lowercase hex"),
        c(
            "container id upper",
            e -> e.put("ContainerId", "A".repeat(64)),
            "ContainerId: expected a container id of 64 lowercase hex"),
        c(
            "container id with runtime prefix",
            e -> e.put("ContainerId", "containerd://" + "a".repeat(64)),
            "ContainerId: expected a container id"),
        c("pod uid not a uuid", e -> e.put("PodUid", "debug-x"), "PodUid: expected a UUID"),
        c("pod name blank", e -> e.put("PodName", " "), "PodName: blank"),
        c(
            "pod namespace too long",
            e -> e.put("PodNamespace", "n".repeat(254)),
            "PodNamespace: 254 characters"),
        c(
            "container name an array",
            e -> e.putArray("ContainerName").add("shell"),
            "ContainerName: expected a string, got an array"),
        c(
            "file change on agent",
            e -> e.put("MonitoredEntityType", "Agent"),
            "ChangeType: Modified is a File change"),
        c("a Windows node's file", e -> e.put("FilePath", "C:\\Windows\\win.ini"), null),
        c(
            "a Windows path that climbs",
            e -> e.put("FilePath", "C:\\Windows\\..\\x"),
            "FilePath: not a normalized path"),
        c(
            "a UNC path",
            e -> e.put("FilePath", "\\\\server\\share\\x"),
            "FilePath: not an absolute path"),
        c("valid registry change", EventValidatorTest::registry, null),
        c(
            "registry change without its hive",
            e -> {
              registry(e);
              e.remove("RegistryHive");
            },
            "RegistryHive: missing (required for MonitoredEntityType Registry)"),
        c(
            "a hive the registry has not",
            e -> {
              registry(e);
              e.put("RegistryHive", "HKEY_NOWHERE");
            },
            "RegistryHive: expected one of [HKEY_LOCAL_MACHINE"),
        c(
            "a key with an empty name",
            e -> {
              registry(e);
              e.put("RegistryKey", "SOFTWARE\\\\Run");
            },
            "RegistryKey: an empty key name"),
        c(
            "a value type the registry has not",
            e -> {
              registry(e);
              e.put("NewValueType", "REG_EVIL");
            },
            "NewValueType: expected one of [REG_SZ"),
        c(
            "value data past the bound",
            e -> {
              registry(e);
              e.put("NewValueData", "x".repeat(EventValidator.MAX_VALUE_DATA + 1));
            },
            "NewValueData: " + (EventValidator.MAX_VALUE_DATA + 1) + " characters"),
        c(
            "expected in a window",
            e -> e.setAll(TestEvents.expected("n1", "/etc/x", "MaintenanceWindow:patch-sunday")),
            null),
        c("expected ad hoc", e -> e.setAll(TestEvents.expected("n1", "/etc/x", "adhoc")), null),
        c(
            "expected package manager",
            e -> e.setAll(TestEvents.expected("n1", "/etc/x", "PackageManager:/usr/bin/dpkg")),
            null),
        c(
            "expected listed process",
            e -> e.setAll(TestEvents.expected("n1", "/etc/x", "Process:/opt/app/bin/deploy")),
            null),
        c("not expected, said so", e -> e.put("ChangeExpected", false), null),
        c(
            "change expected a string",
            e -> {
              e.put("ChangeExpected", "true");
              e.put("ExpectedReason", "adhoc");
            },
            "ChangeExpected: expected true or false, got a string"),
        c(
            "change expected a number",
            e -> e.put("ChangeExpected", 1),
            "ChangeExpected: expected true or false, got a number"),
        c(
            "expected without a reason",
            e -> e.put("ChangeExpected", true),
            "ExpectedReason: missing (required when ChangeExpected is true)"),
        c(
            "a reason without expected",
            e -> e.put("ExpectedReason", "adhoc"),
            "ExpectedReason: given without ChangeExpected true"),
        c(
            "a reason with expected false",
            e -> {
              e.put("ChangeExpected", false);
              e.put("ExpectedReason", "PackageManager:/usr/bin/dpkg");
            },
            "ExpectedReason: given without ChangeExpected true"),
        c(
            "a reason of no known form",
            e -> e.setAll(TestEvents.expected("n1", "/etc/x", "because")),
            "ExpectedReason: expected MaintenanceWindow:<name>, adhoc, PackageManager:<exe> or"
                + " Process:<exe>, got \"because\""),
        c(
            "a reason in the wrong case",
            e -> e.setAll(TestEvents.expected("n1", "/etc/x", "ADHOC")),
            "ExpectedReason: expected MaintenanceWindow:<name>"),
        c(
            "a package manager with no exe",
            e -> e.setAll(TestEvents.expected("n1", "/etc/x", "PackageManager:")),
            "ExpectedReason: nothing after \"PackageManager:\""),
        c(
            "a window with no name",
            e -> e.setAll(TestEvents.expected("n1", "/etc/x", "MaintenanceWindow: ")),
            "ExpectedReason: nothing after \"MaintenanceWindow:\""),
        c(
            "a process exe past the bound",
            e ->
                e.setAll(
                    TestEvents.expected(
                        "n1", "/etc/x", "Process:/" + "x".repeat(EventValidator.MAX_REASON_PART))),
            "ExpectedReason: the part after \"Process:\" has 4097 characters, more than 4096"),
        c(
            "an exe of exactly the bound",
            e ->
                e.setAll(
                    TestEvents.expected(
                        "n1",
                        "/etc/x",
                        "Process:/" + "x".repeat(EventValidator.MAX_REASON_PART - 1))),
            null),
        c(
            "a reason past the whole bound",
            e ->
                e.setAll(
                    TestEvents.expected(
                        "n1",
                        "/etc/x",
                        "Process:/" + "x".repeat(EventValidator.MAX_EXPECTED_REASON))),
            "ExpectedReason: 4209 characters, more than 4200"),
        c(
            "a reason a number",
            e -> {
              e.put("ChangeExpected", true);
              e.put("ExpectedReason", 17);
            },
            "ExpectedReason: expected a string, got a number"),
        c(
            "a window summary",
            e -> e.setAll(TestEvents.windowClosed("n1", "linux-recommended", "patch-sunday")),
            null),
        c(
            "a window summary as a File change",
            e -> {
              e.setAll(TestEvents.windowClosed("n1", "linux-recommended", "patch-sunday"));
              e.put("MonitoredEntityType", "File");
              e.put("FilePath", "/etc/x");
            },
            "ChangeType: MaintenanceWindowClosed is an Agent change, not one of a File"),
        c(
            "registry change on a file",
            e -> e.put("ChangeType", "RegistryValueSet"),
            "ChangeType: RegistryValueSet is a Registry change, not one of a File"));
  }

  private static void registry(ObjectNode e) {
    e.remove(List.of("FilePath", "FileName", "FileType", "FieldsChanged"));
    e.put("MonitoredEntityType", "Registry");
    e.put("ChangeType", "RegistryValueSet");
    e.put("RegistryHive", "HKEY_LOCAL_MACHINE");
    e.put("RegistryKey", "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run");
    e.put("NewValueName", "Updater");
    e.put("NewValueType", "REG_SZ");
    e.put("NewValueData", "C:\\Vendor\\update.exe");
  }

  private static void attribute(ObjectNode e) {
    e.setAll(TestEvents.attributed("n1", "/etc/x"));
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
