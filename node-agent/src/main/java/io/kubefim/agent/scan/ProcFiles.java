package io.kubefim.agent.scan;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads small kernel files ({@code /proc/sys/...}) in one {@code read} from offset 0. {@code
 * Files.readString} does not work on them: they report size 0, so the JDK reads one byte first, and
 * an integer sysctl answers a read at a later offset with end of file ({@code
 * max_queued_events=16384} reads as "1").
 */
public final class ProcFiles {
  private ProcFiles() {}

  /** The file's text (at most 64 KiB), trimmed. */
  public static String read(Path p) throws IOException {
    try (FileInputStream in = new FileInputStream(p.toFile())) {
      byte[] b = new byte[65536];
      int n = in.read(b);
      return n <= 0 ? "" : new String(Arrays.copyOf(b, n), StandardCharsets.UTF_8).trim();
    }
  }

  /** The file's integer, or {@code fallback} when it cannot be read. */
  public static long readLong(Path p, long fallback) {
    try {
      return Long.parseLong(read(p));
    } catch (IOException | RuntimeException e) {
      return fallback;
    }
  }
}
