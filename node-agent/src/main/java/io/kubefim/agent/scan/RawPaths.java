package io.kubefim.agent.scan;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Converts between {@link Path}s and the rendered names of {@link NameCodec} without loss, under
 * any locale.
 *
 * <p>Why: the JDK's {@code Path.toString()} decodes a path's bytes with {@code sun.jnu.encoding}
 * (from the locale: UTF-8, or ASCII when LANG/LC_ALL are unset), replacing what does not decode, so
 * {@code bad\xff} and {@code bad\xfe} both read {@code bad\uFFFD}; and {@code Path.of(String)}
 * encodes with it, throwing InvalidPathException for {@code café} under ASCII. A listed Path keeps
 * its bytes, but only the public URI conversion exposes them: {@code Path.toUri()} percent-encodes
 * the raw bytes, and {@code Path.of(URI)} builds a path from percent-encoded bytes. Neither needs
 * {@code --add-opens} or native code.
 *
 * <p>Cost: the usual name takes the fast path, its {@code toString()} checked once (no U+FFFD, and
 * ASCII unless the JDK decodes with UTF-8) and used as it is: no system call, no copy. The other
 * names go through a URI: {@code toUri()} stats its path to add a trailing slash to a directory, so
 * it is always called on the path below {@link #PROBE}, which does not exist (a lookup that fails
 * at once, not a stat of the host's file). Thread-safe, stateless.
 *
 * <p>Windows (issue 15): names are UTF-16 strings, which {@code Path} holds as they are; there are
 * no bytes to keep, so every conversion here is the identity ({@code toString()}, {@code resolve})
 * where {@link #UTF16_NAMES}, and {@link #cString} (libc only) is never called there. NameCodec's
 * escapes never apply: a Windows name cannot hold a backslash.
 */
public final class RawPaths {
  /** Below a directory that cannot exist, so the stat in {@code toUri()} fails at once. */
  private static final Path PROBE = Path.of("/proc/.kubefim-name-probe");

  private static final int PROBE_LEN = PROBE.toString().length() + 1;

  /** True when the JDK decodes and encodes path bytes as UTF-8 (a UTF-8 locale). */
  private static final boolean JNU_UTF8 = jnuIsUtf8();

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** True where the JDK's names are UTF-16 strings with nothing below them (Windows). */
  static final boolean UTF16_NAMES = FileSystems.getDefault().getSeparator().equals("\\");

  private RawPaths() {}

  private static boolean jnuIsUtf8() {
    try {
      String jnu = System.getProperty("sun.jnu.encoding");
      return jnu != null && Charset.forName(jnu).equals(StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The rendered name of the last segment of {@code p} (a directory entry as listed). */
  public static String name(Path p) {
    return name(p, UTF16_NAMES);
  }

  static String name(Path p, boolean utf16Names) {
    Path name = p.getFileName();
    String s = name.toString();
    if (utf16Names) {
      return s;
    }
    if (decodedExactly(s)) {
      return NameCodec.escape(s);
    }
    return NameCodec.render(rawBytes(name));
  }

  /** The rendered form of {@code p} as a whole (a symlink's target, relative or absolute). */
  public static String render(Path p) {
    return render(p, UTF16_NAMES);
  }

  static String render(Path p, boolean utf16Names) {
    String s = p.toString();
    if (utf16Names) {
      return s;
    }
    if (decodedExactly(s)) {
      return NameCodec.escape(s);
    }
    byte[] b = rawBytes(p);
    if (!p.isAbsolute()) {
      return NameCodec.render(b);
    }
    byte[] abs = new byte[b.length + 1];
    abs[0] = '/';
    System.arraycopy(b, 0, abs, 1, b.length);
    return NameCodec.render(abs);
  }

  /**
   * {@code base} joined with the rendered relative path {@code rel} (segments separated by {@code
   * /}), byte for byte.
   */
  public static Path resolve(Path base, String rel) {
    return resolve(base, rel, UTF16_NAMES);
  }

  static Path resolve(Path base, String rel, boolean utf16Names) {
    if (rel.isEmpty()) {
      return base;
    }
    if (utf16Names || encodesExactly(rel)) {
      return base.resolve(rel);
    }
    byte[] b = NameCodec.bytes(rel);
    StringBuilder u = new StringBuilder(b.length * 3 + 8).append("file:///");
    for (byte x : b) {
      int c = x & 0xff;
      if (c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || c == '/'
          || c == '-'
          || c == '.'
          || c == '_') {
        u.append((char) c);
      } else {
        u.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    Path abs = Path.of(URI.create(u.toString()));
    return base.resolve(abs.getRoot().relativize(abs));
  }

  /** The bytes of absolute path {@code p}, NUL-terminated, for a system call. */
  public static byte[] cString(Path p) {
    String s = p.toString();
    byte[] b;
    if (decodedExactly(s)) {
      b = s.getBytes(StandardCharsets.UTF_8);
    } else {
      byte[] rel = rawBytes(p);
      b = new byte[rel.length + 1];
      b[0] = '/';
      System.arraycopy(rel, 0, b, 1, rel.length);
    }
    byte[] out = new byte[b.length + 1];
    System.arraycopy(b, 0, out, 0, b.length);
    return out;
  }

  /** True when {@code s}, a Path's toString(), is exactly its bytes decoded as UTF-8. */
  private static boolean decodedExactly(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80 && (c == '\uFFFD' || !JNU_UTF8)) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code Path.resolve(rel)} would encode rendered {@code rel} to its own bytes. */
  private static boolean encodesExactly(String rel) {
    for (int i = 0; i < rel.length(); i++) {
      char c = rel.charAt(i);
      if (c >= 0x80 && (!JNU_UTF8 || Character.isSurrogate(c))) {
        return false;
      }
    }
    return NameCodec.isPlain(rel);
  }

  /**
   * The raw bytes of {@code p} (relative: as they are; absolute: without the leading slash), read
   * from the URI of the same bytes below {@link #PROBE}.
   */
  private static byte[] rawBytes(Path p) {
    Path rel = p.isAbsolute() ? p.getRoot().relativize(p) : p;
    String raw = PROBE.resolve(rel).toUri().getRawPath();
    boolean trailing = p.toString().endsWith("/");
    int end = raw.length();
    if (!trailing && end > PROBE_LEN && raw.charAt(end - 1) == '/') {
      end--; // added by toUri() had the probe path existed as a directory
    }
    byte[] out = new byte[end - PROBE_LEN];
    int n = 0;
    for (int i = PROBE_LEN; i < end; i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        out[n++] = (byte) (digit(raw, i + 1) << 4 | digit(raw, i + 2));
        i += 2;
      } else {
        out[n++] = (byte) c;
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static int digit(String s, int i) {
    return Character.digit(s.charAt(i), 16);
  }
}
