package io.kubefim.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.event.ChangeType;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The diff of two snapshots, one row per kind of change. */
class RegistryDiffTest {
  static final String K = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Vendor";

  static Arguments row(
      String name,
      Consumer<InMemoryRegistry> before,
      Consumer<InMemoryRegistry> change,
      String... expected) {
    return Arguments.of(name, before, change, List.of(expected));
  }

  static Stream<Arguments> rows() {
    Consumer<InMemoryRegistry> base = r -> r.sz(K, "Updater", "C:\\u.exe");
    return Stream.of(
        row("nothing", base, r -> {}),
        row("same data again", base, r -> r.sz(K, "Updater", "C:\\u.exe")),
        row("another spelling of the name", base, r -> r.sz(K, "UPDATER", "C:\\u.exe")),
        row(
            "value added",
            base,
            r -> r.dword(K, "Flags", 7),
            "RegistryValueSet Vendor -> Flags REG_DWORD 7"),
        row(
            "value changed",
            base,
            r -> r.sz(K, "Updater", "C:\\evil.exe"),
            "RegistryValueSet Vendor Updater REG_SZ C:\\u.exe -> Updater REG_SZ C:\\evil.exe"),
        row(
            "type changed, same text",
            base,
            r -> r.set(K, "Updater", Registry.REG_EXPAND_SZ, InMemoryRegistry.utf16("C:\\u.exe\0")),
            "RegistryValueSet Vendor Updater REG_SZ C:\\u.exe -> Updater REG_EXPAND_SZ C:\\u.exe"),
        row(
            "value deleted",
            base,
            r -> r.deleteValue(K, "Updater"),
            "RegistryValueDeleted Vendor Updater REG_SZ C:\\u.exe ->"),
        row(
            "key created with a value",
            base,
            r -> r.sz(K + "\\New", "Dll", "x.dll"),
            "RegistryKeyCreated Vendor\\New ->",
            "RegistryValueSet Vendor\\New -> Dll REG_SZ x.dll"),
        row(
            "key created empty",
            base,
            r -> r.create(K + "\\Empty"),
            "RegistryKeyCreated Vendor\\Empty ->"),
        row(
            "key deleted with subkeys: one event per key, parents first, no value events",
            base.andThen(
                r -> r.sz(K + "\\A\\B", "v", "1").sz(K + "\\A", "w", "2").create(K + "\\A\\C")),
            r -> r.deleteTree(K + "\\A"),
            "RegistryKeyDeleted Vendor\\A ->",
            "RegistryKeyDeleted Vendor\\A\\B ->",
            "RegistryKeyDeleted Vendor\\A\\C ->"),
        row(
            "the rule's key itself deleted",
            base,
            r -> r.deleteTree(K),
            "RegistryKeyDeleted Vendor ->"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void diff(
      String name,
      Consumer<InMemoryRegistry> before,
      Consumer<InMemoryRegistry> change,
      List<String> expected) {
    InMemoryRegistry reg = new InMemoryRegistry();
    before.accept(reg);
    RegistryRule rule = new RegistryRule(RegistryRules.rule(K));
    RegistrySnapshot a = RegistrySnapshot.read(reg, rule, RegistrySnapshot.empty());
    change.accept(reg);
    RegistrySnapshot b = RegistrySnapshot.read(reg, rule, a);

    assertThat(RegistryDiff.diff(a, b).stream().map(RegistryDiffTest::brief))
        .containsExactlyElementsOf(expected);
    assertThat(RegistryDiff.diff(b, b)).isEmpty();
  }

  static String brief(RegistryDiff.Change c) {
    String key = c.key().path().substring("SOFTWARE\\".length());
    return (c.type() + " " + key + " " + value(c.before()) + "-> " + value(c.after())).strip();
  }

  static String value(ValueState v) {
    return v == null ? "" : v.name() + " " + v.type() + " " + v.data() + " ";
  }

  static {
    assert ChangeType.RegistryValueSet.isRegistryChange();
  }
}
