package io.kubefim.agent.scan;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The CPU and I/O priority of the calling thread (issue 18: scanNice, scanIoClass): {@code
 * setpriority(PRIO_PROCESS, gettid(), nice)} and {@code ioprio_set(IOPRIO_WHO_PROCESS, gettid(),
 * class)}, which on Linux apply to that one thread. Both only lower a priority, which needs no
 * privilege (raising it back would need CAP_SYS_NICE: a thread is niced once, for its life). Linux
 * x86-64 and arm64 with glibc; elsewhere a request is logged once and ignored.
 */
public final class ThreadPriority {
  private static final Logger LOG = Logger.getLogger(ThreadPriority.class.getName());
  private static final boolean ARM64 = "aarch64".equals(System.getProperty("os.arch"));
  private static final long SYS_IOPRIO_SET = ARM64 ? 30 : 251;
  private static final long SYS_IOPRIO_GET = ARM64 ? 31 : 252;
  private static final int PRIO_PROCESS = 0;
  private static final int IOPRIO_WHO_PROCESS = 1;
  private static final int IOPRIO_CLASS_SHIFT = 13;
  private static final int IOPRIO_CLASS_BE = 2;
  private static final int IOPRIO_CLASS_IDLE = 3;

  /** The lowest best-effort level. */
  private static final int BE_LOWEST = 7;

  private static final boolean AVAILABLE = register();
  private static volatile boolean warned;

  private ThreadPriority() {}

  private static boolean register() {
    try {
      Native.register(ThreadPriority.class, "c");
      return true;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return false;
    }
  }

  private static native int gettid() throws LastErrorException;

  private static native int setpriority(int which, int who, int prio) throws LastErrorException;

  private static native int getpriority(int which, int who) throws LastErrorException;

  private static native long syscall(long number, long a, long b, long c) throws LastErrorException;

  /**
   * Lowers the calling thread's priority: {@code nice} (0 to 19; null: unchanged) and the I/O class
   * {@code idle} or {@code best-effort} (level 7; null: unchanged). A failure is logged once and
   * leaves the thread as it was: a budget that cannot be applied does not stop a scan.
   */
  public static void lower(Integer nice, String ioClass) {
    if (nice == null && ioClass == null) {
      return;
    }
    if (!AVAILABLE) {
      warnOnce("thread priorities are not available on this platform", null);
      return;
    }
    try {
      int tid = gettid();
      if (nice != null) {
        setpriority(PRIO_PROCESS, tid, nice);
      }
      if (ioClass != null) {
        int value =
            "idle".equals(ioClass)
                ? IOPRIO_CLASS_IDLE << IOPRIO_CLASS_SHIFT
                : IOPRIO_CLASS_BE << IOPRIO_CLASS_SHIFT | BE_LOWEST;
        syscall(SYS_IOPRIO_SET, IOPRIO_WHO_PROCESS, tid, value);
      }
    } catch (LastErrorException | UnsatisfiedLinkError e) {
      warnOnce("cannot lower the scan threads' priority", e);
    }
  }

  /** The calling thread's nice value. */
  public static int nice() {
    return getpriority(PRIO_PROCESS, gettid());
  }

  /**
   * The calling thread's I/O class and level as ioprio_get returns it ({@code class << 13 |
   * level}).
   */
  public static int ioPriority() {
    return (int) syscall(SYS_IOPRIO_GET, IOPRIO_WHO_PROCESS, gettid(), 0);
  }

  /** The I/O class of an {@link #ioPriority()} value: 0 none, 1 realtime, 2 best-effort, 3 idle. */
  public static int ioClassOf(int ioPriority) {
    return ioPriority >> IOPRIO_CLASS_SHIFT;
  }

  private static void warnOnce(String what, Throwable e) {
    if (!warned) {
      warned = true;
      LOG.log(
          Level.WARNING,
          "{0}: scans run at the agent''s priority error={1}",
          new Object[] {what, e});
    }
  }
}
