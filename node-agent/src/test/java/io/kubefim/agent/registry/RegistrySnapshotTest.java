package io.kubefim.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which keys and values a rule covers: OID* globs, recursion, value filters, WOW6432Node. */
class RegistrySnapshotTest {
  static final String CRYPTO = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography";
  final InMemoryRegistry reg = new InMemoryRegistry();

  RegistrySnapshot read(String key, boolean recursive, List<String> include, List<String> exclude) {
    RegistryRule rule = new RegistryRule(RegistryRules.rule(key, recursive, include, exclude));
    return RegistrySnapshot.read(reg, rule, RegistrySnapshot.empty());
  }

  @Test
  void oidGlobMatchesSubkeysOfTheParentWithoutCase() {
    reg.sz(CRYPTO + "\\OID\\EncodingType 0\\CryptDllImport", "Dll", "crypt32.dll")
        .sz(CRYPTO + "\\oidx", "Dll", "evil.dll")
        .sz(CRYPTO + "\\OTHER", "Dll", "other.dll")
        .sz(CRYPTO + "\\RNG", "Seed", "x");

    RegistrySnapshot s =
        read("HKLM\\SOFTWARE\\Microsoft\\Cryptography\\OID*", true, List.of(), List.of());

    assertThat(s.keys().keySet())
        .containsExactly(
            CRYPTO + "\\OID",
            CRYPTO + "\\OID\\EncodingType 0",
            CRYPTO + "\\OID\\EncodingType 0\\CryptDllImport",
            CRYPTO + "\\oidx");
    // spelled as the registry spells it, found without case
    assertThat(s.keys().get(CRYPTO.toLowerCase() + "\\OIDX").key().path())
        .isEqualTo("SOFTWARE\\Microsoft\\Cryptography\\oidx");
  }

  @Test
  void questionMarkIsOneCharacter() {
    reg.create(CRYPTO + "\\OID1").create(CRYPTO + "\\OID12");
    assertThat(read(CRYPTO + "\\oid?", false, List.of(), List.of()).keys().keySet())
        .containsExactly(CRYPTO + "\\OID1");
  }

  @Test
  void notRecursiveIsTheKeyAlone() {
    String run = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run";
    reg.sz(run, "Updater", "u.exe").sz(run + "\\Sub", "x", "y");
    RegistrySnapshot s = read(run, false, List.of(), List.of());
    assertThat(s.keys().keySet()).containsExactly(run);
    assertThat(s.keys().get(run).values().keySet()).containsExactly("Updater");
  }

  @Test
  void valueNamesFilteredByIncludeAndExcludeWithoutCase() {
    String k = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Vendor";
    reg.sz(k, "Path", "a").sz(k, "PathExt", "b").sz(k, "Other", "c").sz(k, "pathTemp", "d");
    RegistrySnapshot s = read(k, false, List.of("path*"), List.of("*TEMP"));
    assertThat(s.keys().get(k).values().keySet()).containsExactly("Path", "PathExt");
  }

  @Test
  void missingKeyIsAnEmptySnapshot() {
    assertThat(read("HKLM\\SOFTWARE\\Nothing", true, List.of(), List.of()).keys()).isEmpty();
    assertThat(read("HKLM\\SOFTWARE\\Nothing\\OID*", true, List.of(), List.of()).keys()).isEmpty();
  }

  @Test
  void wow6432NodeIsAKeyOfItsOwn() {
    String native64 = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run";
    String wow =
        "HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Run";
    reg.sz(native64, "A", "a.exe").sz(wow, "B", "b.exe");
    assertThat(read(native64, false, List.of(), List.of()).keys().get(native64).values())
        .containsOnlyKeys("A");
    assertThat(read(wow, false, List.of(), List.of()).keys().get(wow).values())
        .containsOnlyKeys("B");
  }

  @Test
  void anUnreadableKeyKeepsItsLastStateAndIsNamed() {
    String k = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Vendor";
    reg.sz(k, "v", "1").sz(k + "\\Sub", "w", "2");
    RegistryRule rule = new RegistryRule(RegistryRules.rule(k));
    RegistrySnapshot first = RegistrySnapshot.read(reg, rule, RegistrySnapshot.empty());
    reg.deny(k + "\\Sub");
    reg.sz(k, "v", "changed");

    RegistrySnapshot second = RegistrySnapshot.read(reg, rule, first);

    assertThat(second.errors()).singleElement().asString().contains("Sub");
    assertThat(second.keys().get(k + "\\Sub")).isEqualTo(first.keys().get(k + "\\Sub"));
    assertThat(second.keys().get(k).values().get("v").data()).isEqualTo("changed");
  }

  @Test
  void storedRowsReadBackEqual() throws Exception {
    reg.sz(CRYPTO + "\\OID\\A", "Dll", "a.dll").dword(CRYPTO + "\\OID\\A", "Flags", 3);
    RegistrySnapshot s = read(CRYPTO + "\\OID*", true, List.of(), List.of());
    java.util.Map<String, String> rows = new java.util.HashMap<>();
    for (var r : SnapshotCodec.rows("rule", null, s)) {
      if (r.key() != null) {
        rows.put(r.key(), r.data());
      }
    }
    assertThat(SnapshotCodec.baselined(rows)).isTrue();
    assertThat(SnapshotCodec.decode(rows).keys()).isEqualTo(s.keys());
  }
}
