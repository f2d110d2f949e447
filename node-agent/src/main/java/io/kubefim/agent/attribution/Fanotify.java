package io.kubefim.agent.attribution;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/** The libc calls and constants of fanotify(7) the agent uses (x86_64 and arm64 Linux ABI). */
final class Fanotify {
  private Fanotify() {}

  static final int FAN_CLOEXEC = 0x1;
  static final int FAN_NONBLOCK = 0x2;
  static final int FAN_CLASS_NOTIF = 0x0;
  static final int FAN_REPORT_PIDFD = 0x80;
  static final int FAN_REPORT_DIR_FID = 0x400;
  static final int FAN_REPORT_NAME = 0x800;
  static final int FAN_REPORT_DFID_NAME = FAN_REPORT_DIR_FID | FAN_REPORT_NAME;

  static final int FAN_MARK_ADD = 0x1;
  static final int FAN_MARK_REMOVE = 0x2;
  static final int FAN_MARK_FILESYSTEM = 0x100;

  static final long FAN_MODIFY = 0x2;
  static final long FAN_ATTRIB = 0x4;
  static final long FAN_CLOSE_WRITE = 0x8;
  static final long FAN_MOVED_FROM = 0x40;
  static final long FAN_MOVED_TO = 0x80;
  static final long FAN_CREATE = 0x100;
  static final long FAN_DELETE = 0x200;
  static final long FAN_Q_OVERFLOW = 0x4000;
  static final long FAN_ONDIR = 0x40000000L;
  static final long MASK =
      FAN_MODIFY
          | FAN_CLOSE_WRITE
          | FAN_ATTRIB
          | FAN_CREATE
          | FAN_DELETE
          | FAN_MOVED_FROM
          | FAN_MOVED_TO
          | FAN_ONDIR;

  static final int FAN_EVENT_INFO_TYPE_FID = 1;
  static final int FAN_EVENT_INFO_TYPE_DFID_NAME = 2;
  static final int FAN_EVENT_INFO_TYPE_DFID = 3;
  static final int FAN_EVENT_INFO_TYPE_PIDFD = 4;
  static final int FAN_NOPIDFD = -1;
  static final int METADATA_VERSION = 3;

  static final int O_RDONLY = 0;
  static final int O_DIRECTORY = 0200000;
  static final int O_CLOEXEC = 02000000;
  static final int O_PATH = 010000000;
  static final int O_LARGEFILE = 0100000;
  static final int AT_FDCWD = -100;
  static final short POLLIN = 1;

  static final int EPERM = 1;
  static final int EINVAL = 22;
  static final int ENOSYS = 38;
  static final int EOPNOTSUPP = 95;
  static final int EXDEV = 18;
  static final int ESTALE = 116;

  /** errno surfaces as {@link LastErrorException}. Paths are NUL-terminated bytes. */
  interface LibC extends Library {
    int fanotify_init(int flags, int eventFlags) throws LastErrorException;

    int fanotify_mark(int fd, int flags, long mask, int dirfd, byte[] path)
        throws LastErrorException;

    /**
     * Returns -1 when the queue is empty (EAGAIN) or on error: no exception, as every drain ends
     * with an empty queue and an exception per drain costs more than the read.
     */
    NativeLong read(int fd, byte[] buf, NativeLong count);

    int poll(byte[] fds, NativeLong nfds, int timeout) throws LastErrorException;

    int open(byte[] path, int flags) throws LastErrorException;

    int open_by_handle_at(int mountFd, byte[] handle, int flags) throws LastErrorException;

    NativeLong readlink(byte[] path, byte[] buf, NativeLong size) throws LastErrorException;

    /** {@code buf}: a struct statfs (120 bytes on 64-bit Linux), f_fsid at offset 56. */
    int statfs(byte[] path, byte[] buf) throws LastErrorException;

    /** {@code buf}: a struct stat (144 bytes on x86_64 and arm64), st_ino at offset 8. */
    int fstat(int fd, byte[] buf) throws LastErrorException;

    /** {@code buf}: a struct statfs (120 bytes), f_type at offset 0. */
    int fstatfs(int fd, byte[] buf) throws LastErrorException;

    int close(int fd);
  }

  /** statfs f_type of pidfs (Linux 6.9+): a pidfd's inode number is then unique per process. */
  static final long PIDFS_MAGIC = 0x50494446L;

  static LibC load() {
    return Native.load("c", LibC.class);
  }

  /** A name for an errno the reasons quote. */
  static String errno(int e) {
    return switch (e) {
      case EPERM -> "EPERM";
      case EINVAL -> "EINVAL";
      case ENOSYS -> "ENOSYS";
      case EOPNOTSUPP -> "EOPNOTSUPP";
      case EXDEV -> "EXDEV";
      case ESTALE -> "ESTALE";
      default -> "errno " + e;
    };
  }
}
