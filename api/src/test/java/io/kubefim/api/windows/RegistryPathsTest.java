package io.kubefim.api.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryPathsTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "HKLM\\SOFTWARE\\Microsoft\\Cryptography\\OID*|HKEY_LOCAL_MACHINE|SOFTWARE\\Microsoft\\Cryptography\\OID*",
        "hklm\\Software\\Microsoft\\Windows\\CurrentVersion\\Run|HKEY_LOCAL_MACHINE|Software\\Microsoft\\Windows\\CurrentVersion\\Run",
        "HKEY_LOCAL_MACHINE\\SECURITY\\POLICY\\SECRETS\\|HKEY_LOCAL_MACHINE|SECURITY\\POLICY\\SECRETS",
        "HKU|HKEY_USERS|",
        "HKCU/Software/x|HKEY_CURRENT_USER|Software\\x",
      })
  void parsesHiveAndKey(String text, String hive, String path) {
    RegistryPaths.Key k = RegistryPaths.parse(text);
    assertThat(k.hive()).isEqualTo(hive);
    assertThat(k.path()).isEqualTo(path == null ? "" : path);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "HKXX\\SOFTWARE|\"HKXX\" is not a registry hive",
        "SOFTWARE\\Microsoft|\"SOFTWARE\" is not a registry hive",
        "HKLM\\SOFTWARE\\\\Run|an empty key name",
        "C:\\Windows|\"C:\" is not a registry hive",
      })
  void refusesWithAReason(String text, String problem) {
    assertThat(RegistryPaths.problem(text))
        .hasValueSatisfying(m -> assertThat(m).contains(problem));
    assertThatThrownBy(() -> RegistryPaths.parse(text)).hasMessageContaining(problem);
  }
}
