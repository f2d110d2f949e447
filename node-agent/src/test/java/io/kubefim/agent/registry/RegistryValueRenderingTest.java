package io.kubefim.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.event.RegistryChange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Value data rendered as the event's Old/NewValueData, one row per type. */
class RegistryValueRenderingTest {
  static byte[] le32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  static byte[] le64(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }

  static byte[] utf16(String s) {
    return InMemoryRegistry.utf16(s);
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of(
            Registry.REG_SZ,
            utf16("C:\\Program Files\\x.exe\0"),
            "REG_SZ",
            "C:\\Program Files\\x.exe"),
        Arguments.of(Registry.REG_SZ, utf16("no terminator"), "REG_SZ", "no terminator"),
        Arguments.of(Registry.REG_SZ, utf16("\0"), "REG_SZ", ""),
        Arguments.of(Registry.REG_SZ, new byte[0], "REG_SZ", ""),
        Arguments.of(
            Registry.REG_EXPAND_SZ, utf16("%TEMP%\\x.exe\0"), "REG_EXPAND_SZ", "%TEMP%\\x.exe"),
        Arguments.of(Registry.REG_MULTI_SZ, utf16("a\0b c\0\0"), "REG_MULTI_SZ", "a\nb c"),
        Arguments.of(Registry.REG_MULTI_SZ, utf16("\0"), "REG_MULTI_SZ", ""),
        Arguments.of(Registry.REG_DWORD, le32(1), "REG_DWORD", "1"),
        Arguments.of(Registry.REG_DWORD, le32(-1), "REG_DWORD", "4294967295"),
        Arguments.of(Registry.REG_DWORD, new byte[] {1, 2}, "REG_DWORD", "0102"),
        Arguments.of(
            Registry.REG_DWORD_BIG_ENDIAN, new byte[] {0, 0, 1, 0}, "REG_DWORD_BIG_ENDIAN", "256"),
        Arguments.of(Registry.REG_QWORD, le64(1L << 40), "REG_QWORD", "1099511627776"),
        Arguments.of(Registry.REG_QWORD, le64(-1L), "REG_QWORD", "18446744073709551615"),
        Arguments.of(
            Registry.REG_BINARY, new byte[] {0x00, (byte) 0xab, 0x10}, "REG_BINARY", "00ab10"),
        Arguments.of(Registry.REG_NONE, new byte[] {0x7f}, "REG_NONE", "7f"),
        Arguments.of(8, new byte[] {1}, "REG_RESOURCE_LIST", "01"),
        Arguments.of(0x1234, new byte[] {1}, "REG_NONE", "01"));
  }

  @ParameterizedTest(name = "{2} {3}")
  @MethodSource("rows")
  void rendersAsTheEventCarriesIt(int type, byte[] data, String typeName, String text) {
    ValueState v = ValueRendering.state(new Registry.Value("v", type, data), false);
    assertThat(v.type()).isEqualTo(typeName).isIn(RegistryChange.VALUE_TYPES);
    assertThat(v.data()).isEqualTo(text);
    assertThat(v.digest()).isEqualTo(ValueRendering.sha256(data));
  }

  @Test
  void everyTypeNumberHasANameTheIngestAccepts() {
    for (int t = -1; t < 20; t++) {
      assertThat(ValueRendering.typeName(t)).isIn(RegistryChange.VALUE_TYPES);
    }
  }

  @Test
  void dataLongerThanTheBoundIsCutAndSaysSo() {
    int max = RegistryChange.MAX_VALUE_DATA_CHARS;
    String longText = "x".repeat(max + 100);
    ValueState v =
        ValueRendering.state(
            new Registry.Value("v", Registry.REG_SZ, utf16(longText + "\0")), false);
    assertThat(v.data()).startsWith("x".repeat(max)).endsWith("... (100 characters cut)");
    assertThat(v.data()).hasSize(max + "... (100 characters cut)".length());
    // binary: 2 characters a byte
    ValueState b =
        ValueRendering.state(new Registry.Value("b", Registry.REG_BINARY, new byte[max]), false);
    assertThat(b.data()).endsWith("... (" + max + " characters cut)");
  }

  @Test
  void changesPastTheCutAreStillChanges() {
    String head = "x".repeat(RegistryChange.MAX_VALUE_DATA_CHARS + 10);
    ValueState a = ValueRendering.state(new Registry.Value("v", 1, utf16(head + "a")), false);
    ValueState b = ValueRendering.state(new Registry.Value("v", 1, utf16(head + "b")), false);
    assertThat(a.data()).isEqualTo(b.data());
    assertThat(a.differs(b)).isTrue();
  }

  @Test
  void secretsCarryTheirDigestOnly() {
    byte[] secret = utf16("hunter2-lsa-secret\0");
    ValueState v =
        ValueRendering.state(new Registry.Value("CurrVal", Registry.REG_BINARY, secret), true);
    assertThat(v.data()).isEqualTo("sha256:" + ValueRendering.sha256(secret));
    assertThat(v.data()).doesNotContain("hunter2");
  }
}
