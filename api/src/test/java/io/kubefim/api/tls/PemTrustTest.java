package io.kubefim.api.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PemTrust reads a keytool-made CA and names the file in every refusal. */
class PemTrustTest {
  @TempDir Path dir;

  @Test
  void aBundleOfATestCaGivesAContext() throws Exception {
    TestCa ca = TestCa.create(dir, "KubeFIM test CA");

    assertThat(PemTrust.context(ca.caPem()).getProtocol()).isEqualTo("TLS");
  }

  @Test
  void aMissingFileIsAnErrorNamingIt() {
    Path missing = dir.resolve("absent.pem");

    assertThatThrownBy(() -> PemTrust.context(missing))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(missing.toString())
        .hasMessageContaining("no such CA bundle file");
  }

  @Test
  void anEmptyFileIsAnErrorNamingIt() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");

    assertThatThrownBy(() -> PemTrust.context(empty))
        .isInstanceOf(IOException.class)
        .hasMessage(empty + ": holds no certificate");
  }

  @Test
  void aGarbledFileIsAnErrorNamingIt() throws Exception {
    Path junk =
        Files.writeString(
            dir.resolve("junk.pem"),
            "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> PemTrust.context(junk))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(junk.toString());
  }
}
