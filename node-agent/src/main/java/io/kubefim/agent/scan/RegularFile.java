package io.kubefim.agent.scan;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A regular file open for reading, decided on the opened descriptor, so that nothing swapped in
 * after an {@code lstat} can stall or fool the reader. The open itself cannot block or follow a
 * link: {@code open(O_RDONLY|O_NONBLOCK|O_NOFOLLOW|O_NOCTTY|O_CLOEXEC)} returns at once for a FIFO
 * with no writer and fails for a symlink; {@code fstat} of the descriptor then says what was
 * opened, and only a regular file is read (O_NONBLOCK does not apply to regular files). Reads go
 * straight from that descriptor through a per-thread native buffer: one {@code open}, one {@code
 * fstat}, the reads and one {@code close} a file, as the JDK's own {@code FileChannel} path but for
 * the fstat.
 *
 * <p>Page cache: a file none of whose pages were cached when it was opened ({@code cachestat(2)},
 * Linux 6.5 and later) has its pages dropped when it is closed, so that a scan does not push the
 * node's working set out of memory nor count against the agent pod's memory limit; a file cached
 * before, even in part, is left as it is. On older kernels nothing is dropped (docs/agent.md).
 *
 * <p>Linux with glibc 2.33 or later ({@code fstat} as a symbol), x86-64 and arm64 flag values and
 * {@code struct stat} layouts. One instance is used by one thread; the caller closes it.
 */
public final class RegularFile implements ContentReader {
  private static final boolean ARM64 = "aarch64".equals(System.getProperty("os.arch"));
  private static final int O_NOCTTY = 0400;
  private static final int O_NONBLOCK = 04000;
  private static final int O_NOFOLLOW = ARM64 ? 0100000 : 0400000;
  private static final int O_CLOEXEC = 02000000;
  private static final int FLAGS = O_NOCTTY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC; // O_RDONLY = 0
  private static final int EPERM = 1;
  private static final int ENOENT = 2;
  private static final int EINTR = 4;
  private static final int EACCES = 13;
  private static final int ENOTDIR = 20;
  private static final int ELOOP = 40;
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  // struct stat: st_mode after st_dev, st_ino (and st_nlink on x86-64); st_size at 48 on both
  private static final int ST_MODE = ARM64 ? 16 : 24;
  private static final int ST_SIZE = 48;
  private static final int STAT_BYTES = 256; // 144 on x86-64, 128 on arm64
  private static final int CHUNK = 128 * 1024;
  private static final ThreadLocal<Memory> BUFFERS =
      ThreadLocal.withInitial(() -> new Memory(CHUNK));

  static {
    Native.register(RegularFile.class, "c");
  }

  private static native int open(byte[] path, int flags) throws LastErrorException;

  private static native int fstat(int fd, byte[] stat) throws LastErrorException;

  private static native long read(int fd, Pointer buf, long count) throws LastErrorException;

  private static native long pread(int fd, Pointer buf, long count, long offset)
      throws LastErrorException;

  private static native int close(int fd) throws LastErrorException;

  private static native int posix_fadvise(int fd, long offset, long len, int advice);

  private static native long syscall(long number, int fd, Pointer range, Pointer stat, int flags)
      throws LastErrorException;

  /** cachestat(2), Linux 6.5: the same number on x86-64 and arm64 (the unified table). */
  private static final long SYS_CACHESTAT = 451;

  private static final int POSIX_FADV_DONTNEED = 4;
  private static final int ENOSYS = 38;
  private static volatile boolean cachestat = true;
  private static final ThreadLocal<Memory> CACHESTAT =
      ThreadLocal.withInitial(() -> new Memory(16 + 40));

  private final String name;
  private final int fd;
  private final long size;
  private final Memory buf = BUFFERS.get();
  private final boolean dropOnClose;
  private boolean closed;

  private RegularFile(String name, int fd, long size) {
    this.name = name;
    this.fd = fd;
    this.size = size;
    this.dropOnClose = size > 0 && cachedPages(fd) == 0;
  }

  /**
   * Pages of the open file in the page cache (cachestat(2)); -1 when the kernel cannot tell (before
   * Linux 6.5, or seccomp refused it): then nothing is dropped.
   */
  static long cachedPages(int fd) {
    if (!cachestat) {
      return -1;
    }
    Memory m = CACHESTAT.get(); // struct cachestat_range {off, len}, then struct cachestat
    try {
      m.setLong(0, 0);
      m.setLong(8, 0); // len 0: to the end of the file
      syscall(SYS_CACHESTAT, fd, m, m.share(16), 0);
      return m.getLong(16); // nr_cache
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ENOSYS || e.getErrorCode() == EPERM) {
        cachestat = false; // an old kernel, or a seccomp profile that refuses it: ask no more
      }
      return -1;
    } catch (UnsatisfiedLinkError e) {
      cachestat = false;
      return -1;
    }
  }

  /** The pages of this file in the page cache now, -1 when unknown (tests, docs). */
  public long cachedPages() {
    return cachedPages(fd);
  }

  /** True when no page of the file was cached at open: its pages are dropped on close. */
  public boolean dropsOnClose() {
    return dropOnClose;
  }

  /**
   * Opens the regular file at {@code real} (absolute); the caller closes it.
   *
   * @throws NotRegularFileException when something else is there (nothing was read from it)
   * @throws NoSuchFileException when nothing is there
   * @throws IOException when it cannot be opened
   */
  public static RegularFile open(Path real) throws IOException {
    String name = real.toString();
    int fd;
    try {
      fd = open(RawPaths.cString(real), FLAGS); // the name's own bytes, whatever the locale
    } catch (LastErrorException e) {
      throw switch (e.getErrorCode()) {
        case ENOENT, ENOTDIR -> new NoSuchFileException(name);
        case EACCES, EPERM -> new AccessDeniedException(name);
        case ELOOP -> new NotRegularFileException(name, "a symlink now");
        default -> new FileSystemException(name, null, e.getMessage());
      };
    }
    try {
      byte[] st = new byte[STAT_BYTES];
      fstat(fd, st);
      ByteBuffer b = ByteBuffer.wrap(st).order(ByteOrder.nativeOrder());
      int mode = b.getInt(ST_MODE);
      if ((mode & S_IFMT) != S_IFREG) {
        throw new NotRegularFileException(name, "not a regular file now (" + kind(mode) + ")");
      }
      return new RegularFile(name, fd, b.getLong(ST_SIZE));
    } catch (IOException | RuntimeException e) {
      closeQuietly(fd);
      if (e instanceof LastErrorException le) {
        throw new FileSystemException(name, null, "fstat: " + le.getMessage());
      }
      throw e;
    }
  }

  /** The size of the opened file when it was opened (fstat). */
  @Override
  public long size() {
    return size;
  }

  /**
   * Reads up to {@code len} bytes (at most 128 KiB) at the file's offset into {@code b} at {@code
   * off}.
   *
   * @return the bytes read, -1 at the end of the file
   */
  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int want = Math.min(len, CHUNK);
    while (true) {
      try {
        return copied(read(fd, buf, want), b, off);
      } catch (LastErrorException e) {
        if (e.getErrorCode() != EINTR) {
          throw new FileSystemException(name, null, "read: " + e.getMessage());
        }
      }
    }
  }

  /** Reads up to {@code len} bytes (at most 128 KiB) at {@code position}, as {@link #read}. */
  @Override
  public int read(byte[] b, int off, int len, long position) throws IOException {
    int want = Math.min(len, CHUNK);
    while (true) {
      try {
        return copied(pread(fd, buf, want, position), b, off);
      } catch (LastErrorException e) {
        if (e.getErrorCode() != EINTR) {
          throw new FileSystemException(name, null, "pread: " + e.getMessage());
        }
      }
    }
  }

  private int copied(long n, byte[] b, int off) {
    if (n <= 0) {
      return -1;
    }
    buf.read(0, b, off, (int) n);
    return (int) n;
  }

  /**
   * Closes the file; when none of its pages were cached at open, first tells the kernel they are
   * not needed ({@code POSIX_FADV_DONTNEED}): what the scan read in goes, the node's working set
   * (files cached before, even in part, and dirty pages) stays.
   */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (dropOnClose) {
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED); // advice: a failure loses nothing
      }
      closeQuietly(fd);
    }
  }

  private static void closeQuietly(int fd) {
    try {
      close(fd);
    } catch (LastErrorException ignored) {
      // a failed close of a descriptor only read from loses nothing
    }
  }

  private static String kind(int mode) {
    return switch (mode & S_IFMT) {
      case 0010000 -> "a FIFO";
      case 0020000 -> "a character device";
      case 0060000 -> "a block device";
      case 0140000 -> "a socket";
      case 0040000 -> "a directory";
      default -> String.format("type %06o", mode & S_IFMT);
    };
  }
}
