package io.kubefim.agent.scan;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * File names as the kernel has them (bytes, any but NUL and {@code /}) and as the agent keeps and
 * reports them: one String that says which bytes, for every name, and is the name itself when the
 * name is valid UTF-8. The rendered form is the host path everywhere in the agent: baseline key,
 * diff, realtime queue, and FilePath/FileName/OriginalFilePath of events (docs/agent.md, "File
 * names that are not UTF-8").
 *
 * <p>Rendering of a name's bytes:
 *
 * <ul>
 *   <li>every well-formed UTF-8 sequence (strict: no overlong forms, no encoded surrogates, nothing
 *       above U+10FFFF) is its character;
 *   <li>every other byte is written {@code \xNN}, two lowercase hex digits; such a byte is always
 *       80–ff, since ASCII is always well formed;
 *   <li>a literal backslash is written {@code \x5c} only where it would otherwise read as an
 *       escape: when it is followed by {@code x} and two lowercase hex digits that are {@code 5c}
 *       or {@code 80}–{@code ff}. Any other backslash (systemd's {@code \x2d}, say) stays as it is.
 * </ul>
 *
 * Reading back ({@link #bytes}): {@code \x5c} and {@code \x80}…{@code \xff} (lowercase) are
 * escapes; every other character, a backslash included, stands for its UTF-8 bytes. So {@code
 * bytes(render(b))} is {@code b} for every {@code b}, and two different names never render the
 * same. Pure and thread-safe.
 */
public final class NameCodec {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private NameCodec() {}

  /** The rendered form of {@code len} bytes of {@code b} from {@code off}. */
  public static String render(byte[] b, int off, int len) {
    int end = off + len;
    boolean plain = true;
    for (int i = off; i < end; i++) {
      if (b[i] < 0 || b[i] == '\\') {
        plain = false;
        break;
      }
    }
    if (plain) {
      return new String(b, off, len, StandardCharsets.ISO_8859_1); // ASCII: one char a byte
    }
    StringBuilder out = new StringBuilder(len + 8);
    int i = off;
    while (i < end) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        if (c == '\\' && escapeFollows(b, i + 1, end)) {
          out.append("\\x5c");
        } else {
          out.append((char) c);
        }
        i++;
        continue;
      }
      int n = sequenceLength(b, i, end);
      if (n == 0) {
        out.append('\\').append('x').append(HEX[c >> 4]).append(HEX[c & 0xf]);
        i++;
      } else {
        out.appendCodePoint(decode(b, i, n));
        i += n;
      }
    }
    return out.toString();
  }

  /** The rendered form of {@code b}. */
  public static String render(byte[] b) {
    return render(b, 0, b.length);
  }

  /**
   * The rendered form of a name that was decoded exactly (it was valid UTF-8): only its backslashes
   * need a look. Returns {@code s} itself when nothing changes (the common case: no allocation).
   */
  public static String escape(String s) {
    int at = s.indexOf('\\');
    if (at < 0) {
      return s;
    }
    StringBuilder out = null;
    for (int i = at; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && escapeFollows(s, i + 1)) {
        if (out == null) {
          out = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        out.append("\\x5c");
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  /** The bytes that rendered form {@code s} stands for (the inverse of {@link #render}). */
  public static byte[] bytes(String s) {
    if (isPlain(s)) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 8);
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      int v = s.charAt(i) == '\\' ? escapeAt(s, i + 1) : -1;
      if (v >= 0) {
        out.writeBytes(s.substring(run, i).getBytes(StandardCharsets.UTF_8));
        out.write(v);
        i += 3;
        run = i + 1;
      }
    }
    out.writeBytes(s.substring(run).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** True when {@code s} holds no escape: it stands for its own UTF-8 bytes. */
  public static boolean isPlain(String s) {
    for (int i = s.indexOf('\\'); i >= 0; i = s.indexOf('\\', i + 1)) {
      if (escapeAt(s, i + 1) >= 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The byte of the escape whose {@code x} is at {@code i} ({@code \x5c}, {@code \x80}…), or -1.
   */
  private static int escapeAt(String s, int i) {
    if (i + 2 >= s.length() || s.charAt(i) != 'x') {
      return -1;
    }
    int v = hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2));
    return isEscape(v) ? v : -1;
  }

  private static boolean escapeFollows(String s, int i) {
    return escapeAt(s, i) >= 0;
  }

  private static boolean escapeFollows(byte[] b, int i, int end) {
    if (i + 2 >= end || b[i] != 'x') {
      return false;
    }
    return isEscape(hex((char) b[i + 1]) << 4 | hex((char) b[i + 2]));
  }

  /** The values {@link #bytes} reads as escapes; negative (no hex digit) never is one. */
  private static boolean isEscape(int v) {
    return v == 0x5c || v >= 0x80;
  }

  /** A lowercase hex digit's value, or a large negative number (so that no escape forms). */
  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -0x1000;
  }

  /** Length of the well-formed UTF-8 sequence at {@code i} (Unicode table 3-7), or 0. */
  private static int sequenceLength(byte[] b, int i, int end) {
    int c = b[i] & 0xff;
    int n;
    int lo = 0x80;
    int hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 3;
      if (c == 0xe0) {
        lo = 0xa0;
      } else if (c == 0xed) {
        hi = 0x9f;
      }
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 4;
      if (c == 0xf0) {
        lo = 0x90;
      } else if (c == 0xf4) {
        hi = 0x8f;
      }
    } else {
      return 0;
    }
    if (i + n > end) {
      return 0;
    }
    int c1 = b[i + 1] & 0xff;
    if (c1 < lo || c1 > hi) {
      return 0;
    }
    for (int k = 2; k < n; k++) {
      int ck = b[i + k] & 0xff;
      if (ck < 0x80 || ck > 0xbf) {
        return 0;
      }
    }
    return n;
  }

  private static int decode(byte[] b, int i, int n) {
    int cp = b[i] & (0xff >> (n + 1));
    for (int k = 1; k < n; k++) {
      cp = cp << 6 | (b[i + k] & 0x3f);
    }
    return cp;
  }
}
