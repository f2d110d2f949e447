package io.kubefim.agent.registry;

import io.kubefim.api.event.RegistryChange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Renders value data as the event's {@code OldValueData}/{@code NewValueData} (RegistryChange's
 * columns), a pure function of (type, data, secret):
 *
 * <ul>
 *   <li>REG_SZ, REG_EXPAND_SZ, REG_LINK: the string (UTF-16LE, up to its first NUL; the environment
 *       variables of REG_EXPAND_SZ are not expanded);
 *   <li>REG_MULTI_SZ: the strings joined with a line feed ({@code "a\nb"}): MDC does not document
 *       its separator; a line feed keeps the strings apart and readable, and KQL's {@code
 *       split(NewValueData, "\n")} gives the list back;
 *   <li>REG_DWORD, REG_DWORD_BIG_ENDIAN, REG_QWORD: unsigned decimal ({@code "1"}, {@code
 *       "4294967295"}); data of the wrong length as hex;
 *   <li>REG_BINARY and every other type: lowercase hex of the bytes, no separators;
 *   <li>a value under {@code HKEY_LOCAL_MACHINE\SECURITY\POLICY\SECRETS}: {@code sha256:<hex>} of
 *       the data, never the data.
 * </ul>
 *
 * Longer than {@link RegistryChange#MAX_VALUE_DATA_CHARS}: cut there, with the suffix {@code "...
 * (N characters cut)"} the command line and ErrorMessage carry (ingest allows the bound + 64).
 */
public final class ValueRendering {
  private static final HexFormat HEX = HexFormat.of();

  private ValueRendering() {}

  /** The type's name; types past REG_QWORD (an application's own numbers) are REG_NONE. */
  public static String typeName(int type) {
    return switch (type) {
      case Registry.REG_SZ -> "REG_SZ";
      case Registry.REG_EXPAND_SZ -> "REG_EXPAND_SZ";
      case Registry.REG_BINARY -> "REG_BINARY";
      case Registry.REG_DWORD -> "REG_DWORD";
      case Registry.REG_DWORD_BIG_ENDIAN -> "REG_DWORD_BIG_ENDIAN";
      case Registry.REG_LINK -> "REG_LINK";
      case Registry.REG_MULTI_SZ -> "REG_MULTI_SZ";
      case 8 -> "REG_RESOURCE_LIST";
      case 9 -> "REG_FULL_RESOURCE_DESCRIPTOR";
      case 10 -> "REG_RESOURCE_REQUIREMENTS_LIST";
      case Registry.REG_QWORD -> "REG_QWORD";
      default -> "REG_NONE";
    };
  }

  /** The snapshot's state of {@code v}; {@code secret}: data as its SHA-256 only. */
  public static ValueState state(Registry.Value v, boolean secret) {
    byte[] data = v.data() == null ? new byte[0] : v.data();
    String digest = sha256(data);
    String text = secret ? "sha256:" + digest : bound(render(v.type(), data));
    return new ValueState(v.name(), typeName(v.type()), digest, text);
  }

  /** The data as text, unbounded (see the class comment). */
  static String render(int type, byte[] data) {
    return switch (type) {
      case Registry.REG_SZ, Registry.REG_EXPAND_SZ, Registry.REG_LINK -> {
        List<String> parts = strings(data);
        yield parts.isEmpty() ? "" : parts.get(0);
      }
      case Registry.REG_MULTI_SZ -> String.join("\n", strings(data));
      case Registry.REG_DWORD ->
          data.length == 4 ? number(data, ByteOrder.LITTLE_ENDIAN) : hex(data);
      case Registry.REG_DWORD_BIG_ENDIAN ->
          data.length == 4 ? number(data, ByteOrder.BIG_ENDIAN) : hex(data);
      case Registry.REG_QWORD ->
          data.length == 8 ? number(data, ByteOrder.LITTLE_ENDIAN) : hex(data);
      default -> hex(data);
    };
  }

  /** Cuts {@code s} to the event's bound, saying how much was cut. */
  static String bound(String s) {
    int max = RegistryChange.MAX_VALUE_DATA_CHARS;
    if (s.length() <= max) {
      return s;
    }
    return s.substring(0, max) + "... (" + (s.length() - max) + " characters cut)";
  }

  /** The NUL-terminated UTF-16LE strings of {@code data}, up to the empty one that ends a list. */
  private static List<String> strings(byte[] data) {
    String all = new String(data, 0, data.length & ~1, StandardCharsets.UTF_16LE);
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < all.length()) {
      int nul = all.indexOf('\0', start);
      String part = nul < 0 ? all.substring(start) : all.substring(start, nul);
      if (part.isEmpty() && nul >= 0) {
        break; // the empty string that ends a REG_MULTI_SZ
      }
      out.add(part);
      start = nul < 0 ? all.length() : nul + 1;
    }
    return out;
  }

  private static String number(byte[] data, ByteOrder order) {
    ByteBuffer b = ByteBuffer.wrap(data).order(order);
    return data.length == 4
        ? Long.toString(Integer.toUnsignedLong(b.getInt()))
        : Long.toUnsignedString(b.getLong());
  }

  private static String hex(byte[] data) {
    return HEX.formatHex(data);
  }

  static String sha256(byte[] data) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
