package io.kubefim.agent.attribution;

import io.kubefim.agent.scan.RawPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Reads processes from a proc file system ({@code /proc} of the host: the agent runs with {@code
 * hostPID}). Every read may fail because the process went away meanwhile: the caller checks that
 * what it read belongs to the process it asked about (the start time, a pidfd). Stateless apart
 * from the boot time and clock tick rate, read once; thread-safe.
 */
public final class ProcReader {
  private static final long UNSET_LOGIN_UID = 4294967295L;
  private final Path proc;
  private final long bootMillis;
  private final long ticksPerSecond;

  public ProcReader(Path proc) {
    this(proc, 100);
  }

  /**
   * @param ticksPerSecond {@code sysconf(_SC_CLK_TCK)}: 100 on every Linux ABI the agent runs on
   */
  ProcReader(Path proc, long ticksPerSecond) {
    this.proc = proc;
    this.ticksPerSecond = ticksPerSecond;
    this.bootMillis = bootMillis(proc);
  }

  public Path root() {
    return proc;
  }

  private static long bootMillis(Path proc) {
    try {
      for (String line : Files.readAllLines(proc.resolve("stat"))) {
        if (line.startsWith("btime ")) {
          return Long.parseLong(line.substring(6).trim()) * 1000;
        }
      }
    } catch (IOException | RuntimeException e) {
      // no boot time: creation times are left out
    }
    return -1;
  }

  /** The fields of {@code stat} that identify a process. */
  record Stat(long ppid, String comm, char state, long startTicks) {}

  /** {@code /proc/PID/stat}, or null when the process is gone (or was never there). */
  Stat stat(long pid) {
    byte[] b;
    try {
      b = Files.readAllBytes(proc.resolve(Long.toString(pid)).resolve("stat"));
    } catch (IOException e) {
      return null;
    }
    String s = new String(b, StandardCharsets.UTF_8);
    int open = s.indexOf('(');
    int close = s.lastIndexOf(')'); // comm may hold ')' and spaces: the last one ends it
    if (open < 0 || close < open || close + 2 >= s.length()) {
      return null;
    }
    String comm = s.substring(open + 1, close);
    String[] f = s.substring(close + 2).trim().split(" ");
    // f[0] is field 3 (state), so field n is f[n - 3]
    if (f.length < 20) {
      return null;
    }
    try {
      return new Stat(Long.parseLong(f[1]), comm, f[0].charAt(0), Long.parseLong(f[19]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Everything about {@code pid} now, or null when it is gone. The caller must check it is the
   * process it meant ({@link ProcessInfo#startTicks()}, or a pidfd still holding it).
   */
  public ProcessInfo read(long pid) {
    Stat st = stat(pid);
    if (st == null) {
      return null;
    }
    Path dir = proc.resolve(Long.toString(pid));
    boolean zombie = st.state() == 'Z' || st.state() == 'X';
    String exe = null;
    String cmd = null;
    String cgroup = null;
    if (!zombie) {
      exe = exe(dir);
      cmd = commandLine(dir);
      cgroup = text(dir.resolve("cgroup"));
    }
    long uid = -1;
    String status = text(dir.resolve("status"));
    if (status != null) {
      uid = realUid(status);
    }
    long login = -1;
    String lu = text(dir.resolve("loginuid"));
    if (lu != null) {
      try {
        long v = Long.parseLong(lu.trim());
        login = v == UNSET_LOGIN_UID ? -1 : v;
      } catch (NumberFormatException e) {
        login = -1;
      }
    }
    return new ProcessInfo(
        pid,
        st.startTicks(),
        creationTime(st.startTicks()),
        st.ppid(),
        st.comm(),
        exe,
        cmd,
        uid,
        login,
        zombie ? null : CgroupIdentity.parse(cgroup),
        zombie);
  }

  /** The executable, as a host-readable rendered path; null when unreadable. */
  String exe(Path dir) {
    try {
      String p = RawPaths.render(Files.readSymbolicLink(dir.resolve("exe")));
      return p.isEmpty() ? null : p;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String commandLine(Path dir) {
    byte[] b;
    try {
      b = Files.readAllBytes(dir.resolve("cmdline"));
    } catch (IOException e) {
      return null;
    }
    int len = b.length;
    while (len > 0 && b[len - 1] == 0) {
      len--;
    }
    if (len == 0) {
      return null;
    }
    for (int i = 0; i < len; i++) {
      if (b[i] == 0) {
        b[i] = ' ';
      }
    }
    return new String(b, 0, len, StandardCharsets.UTF_8);
  }

  private static long realUid(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("Uid:")) {
        String[] f = line.substring(4).trim().split("\\s+");
        try {
          return Long.parseLong(f[0]);
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  private static String text(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private Instant creationTime(long startTicks) {
    if (bootMillis < 0) {
      return null;
    }
    return Instant.ofEpochMilli(bootMillis + startTicks * 1000 / ticksPerSecond);
  }
}
