package io.kubefim.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rendering of file-name bytes: lossless, injective, valid UTF-8 unchanged. */
class NameCodecTest {
  static byte[] b(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void invalidBytesAreEscapedAndValidUtf8IsUnchanged() {
    assertThat(NameCodec.render(b("626164ff"))).isEqualTo("bad\\xff");
    assertThat(NameCodec.render(b("626164fe"))).isEqualTo("bad\\xfe");
    assertThat(NameCodec.render(utf8("café"))).isEqualTo("café");
    assertThat(NameCodec.render(utf8("日本 \uD83D\uDE00 \uFFFD")))
        .isEqualTo("日本 \uD83D\uDE00 \uFFFD");
    assertThat(NameCodec.render(utf8("plain.conf"))).isEqualTo("plain.conf");
    // Latin-1 é, an overlong NUL, an encoded surrogate, above U+10FFFF, a cut sequence
    assertThat(NameCodec.render(b("636166e9"))).isEqualTo("caf\\xe9");
    assertThat(NameCodec.render(b("c080"))).isEqualTo("\\xc0\\x80");
    assertThat(NameCodec.render(b("eda080"))).isEqualTo("\\xed\\xa0\\x80");
    assertThat(NameCodec.render(b("f4908080"))).isEqualTo("\\xf4\\x90\\x80\\x80");
    assertThat(NameCodec.render(b("e282"))).isEqualTo("\\xe2\\x82");
    assertThat(NameCodec.render(b("e28241"))).isEqualTo("\\xe2\\x82A");
  }

  @Test
  void aBackslashIsEscapedOnlyWhereItWouldReadAsAnEscape() {
    // literal "back\xff" would read as byte 0xff: its backslash is written \x5c
    assertThat(NameCodec.render(utf8("back\\xff"))).isEqualTo("back\\x5cxff");
    assertThat(NameCodec.render(utf8("a\\x5c"))).isEqualTo("a\\x5cx5c");
    // systemd's escapes, uppercase hex, a lone or trailing backslash: unchanged
    assertThat(NameCodec.render(utf8("dev-disk-by\\x2duuid.swap")))
        .isEqualTo("dev-disk-by\\x2duuid.swap");
    assertThat(NameCodec.render(utf8("a\\xFF"))).isEqualTo("a\\xFF");
    assertThat(NameCodec.render(utf8("a\\b\\"))).isEqualTo("a\\b\\");
    assertThat(NameCodec.escape("back\\xff")).isEqualTo("back\\x5cxff");
    String same = "dev-disk-by\\x2duuid.swap";
    assertThat(NameCodec.escape(same)).isSameAs(same);
  }

  @Test
  void bytesReadsBackTheRenderedForm() {
    assertThat(NameCodec.bytes("bad\\xff")).isEqualTo(b("626164ff"));
    assertThat(NameCodec.bytes("back\\x5cxff")).isEqualTo(utf8("back\\xff"));
    assertThat(NameCodec.bytes("café")).isEqualTo(utf8("café"));
    assertThat(NameCodec.bytes("a\\x2d")).isEqualTo(utf8("a\\x2d"));
    assertThat(NameCodec.isPlain("a\\x2d\\")).isTrue();
    assertThat(NameCodec.isPlain("bad\\xff")).isFalse();
  }

  /**
   * Every name of up to five bytes over an alphabet made of the characters that matter (backslash,
   * x, hex digits, invalid and multi-byte bytes): renders to a string that reads back to the same
   * bytes, no two names render the same, and a valid UTF-8 name renders as {@link NameCodec#escape}
   * of its decoding (so the scan's fast path and the byte path agree).
   */
  @Test
  void everyShortNameRoundTripsAndNoTwoCollide() {
    byte[] alphabet = {'\\', 'x', '5', 'c', 'f', '8', 'a', (byte) 0xff, (byte) 0xc3, (byte) 0xa9};
    Map<String, byte[]> seen = new HashMap<>();
    int total = 0;
    for (int len = 0; len <= 5; len++) {
      int[] idx = new int[len];
      while (true) {
        byte[] name = new byte[len];
        for (int i = 0; i < len; i++) {
          name[i] = alphabet[idx[i]];
        }
        check(name, seen);
        total++;
        int k = len - 1;
        while (k >= 0 && ++idx[k] == alphabet.length) {
          idx[k--] = 0;
        }
        if (k < 0) {
          break;
        }
      }
    }
    assertThat(seen).hasSize(total);
  }

  @Test
  void randomNamesRoundTrip() {
    Random r = new Random(11);
    Map<String, byte[]> seen = new HashMap<>();
    for (int n = 0; n < 20_000; n++) {
      byte[] name = new byte[1 + r.nextInt(24)];
      r.nextBytes(name);
      for (int i = 0; i < name.length; i++) {
        if (name[i] == '/' || name[i] == 0) {
          name[i] = '\\'; // a name holds neither: and backslashes are the interesting byte
        }
      }
      check(name, seen);
    }
  }

  // plain comparisons first: AssertJ on each of 100,000 names took seconds
  private static void check(byte[] name, Map<String, byte[]> seen) {
    String s = NameCodec.render(name);
    byte[] back = NameCodec.bytes(s);
    if (!Arrays.equals(back, name)) {
      assertThat(back).as(s).isEqualTo(name);
    }
    byte[] other = seen.putIfAbsent(s, name);
    if (other != null && !Arrays.equals(other, name)) {
      assertThat(other).as("collision on " + s).isEqualTo(name);
    }
    String decoded = new String(name, StandardCharsets.UTF_8);
    if (Arrays.equals(decoded.getBytes(StandardCharsets.UTF_8), name)
        && !NameCodec.escape(decoded).equals(s)) {
      assertThat(NameCodec.escape(decoded)).isEqualTo(s);
    }
    if (s.indexOf('/') >= 0) {
      assertThat(s).as("a rendered name holds no slash").doesNotContain("/");
    }
  }
}
