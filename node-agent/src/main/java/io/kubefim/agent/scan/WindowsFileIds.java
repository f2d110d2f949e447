package io.kubefim.agent.scan;

import com.sun.jna.Memory;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinDef.DWORD;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The NTFS file ID of an entry, where the JDK gives no file key (Windows): the identity the engine
 * compares to tell a rename from a delete and a create (a file renamed keeps its ID; a new file
 * gets another). {@code GetFileInformationByHandleEx(FileIdInfo)} on a handle opened for attributes
 * only, never following a reparse point. Loaded and called on Windows only ({@link PortableStat});
 * never run here (no Windows machine). Fail-soft: any failure is "no ID" (0), and after an
 * unexpected one it is not tried again, so a scan never stops for it. Thread-safe.
 */
final class WindowsFileIds {
  private static final Logger LOG = Logger.getLogger(WindowsFileIds.class.getName());
  private static final int FILE_ID_INFO = 18; // FILE_INFO_BY_HANDLE_CLASS.FileIdInfo
  private static final int FILE_ID_INFO_SIZE = 24; // ULONGLONG volume + FILE_ID_128
  private static volatile boolean broken;

  private WindowsFileIds() {}

  /** A non-zero identity of the entry at {@code real} (volume and file ID folded), or 0. */
  static long of(Path real) {
    if (broken) {
      return 0;
    }
    try {
      HANDLE h =
          Kernel32.INSTANCE.CreateFile(
              real.toString(),
              WinNT.FILE_READ_ATTRIBUTES,
              WinNT.FILE_SHARE_READ | WinNT.FILE_SHARE_WRITE | WinNT.FILE_SHARE_DELETE,
              null,
              WinNT.OPEN_EXISTING,
              WinNT.FILE_FLAG_BACKUP_SEMANTICS | WinNT.FILE_FLAG_OPEN_REPARSE_POINT,
              null);
      if (h == null || WinBase.INVALID_HANDLE_VALUE.equals(h)) {
        return 0; // gone, or not ours to open: the engine then compares what is left
      }
      Memory info = new Memory(FILE_ID_INFO_SIZE);
      try {
        if (!Kernel32.INSTANCE.GetFileInformationByHandleEx(
            h, FILE_ID_INFO, info, new DWORD(FILE_ID_INFO_SIZE))) {
          return 0;
        }
        long id = info.getLong(8) * 31 + info.getLong(16) * 1_000_003L + info.getLong(0);
        return id == 0 ? 1 : id;
      } finally {
        info.close();
        Kernel32.INSTANCE.CloseHandle(h);
      }
    } catch (RuntimeException | LinkageError e) {
      broken = true;
      LOG.log(Level.WARNING, "NTFS file IDs unavailable, renames judged without them error={0}", e);
      return 0;
    }
  }
}
