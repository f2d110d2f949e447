package io.kubefim.agent.registry;

import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinReg;
import com.sun.jna.platform.win32.WinReg.HKEY;
import com.sun.jna.ptr.IntByReference;
import io.kubefim.api.windows.RegistryPaths.Key;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The real registry through JNA's Advapi32 (Windows only). Every key is opened with {@code KEY_READ
 * | KEY_WOW64_64KEY}: the 64-bit view, so {@code SOFTWARE\WOW6432Node} is read as the key it is and
 * never redirected. Nothing here runs before the first call: no static initializer touches
 * Advapi32, so the class may be named (not used) on Linux.
 *
 * <p>A watch is a thread ({@code kubefim-registry-watch}) that arms {@code
 * RegNotifyChangeKeyValue(NAME | LAST_SET)} on an event and waits for it or for close; it must be
 * the thread that arms (without REG_NOTIFY_THREAD_AGNOSTIC the notification ends with its thread).
 */
public final class Advapi32Registry implements Registry {
  private static final int ACCESS = WinNT.KEY_READ | WinNT.KEY_WOW64_64KEY;
  private static final int FILTER = WinNT.REG_NOTIFY_CHANGE_NAME | WinNT.REG_NOTIFY_CHANGE_LAST_SET;
  private static final Map<String, HKEY> HIVES =
      Map.of(
          "HKEY_LOCAL_MACHINE", WinReg.HKEY_LOCAL_MACHINE,
          "HKEY_USERS", WinReg.HKEY_USERS,
          "HKEY_CURRENT_CONFIG", WinReg.HKEY_CURRENT_CONFIG,
          "HKEY_CLASSES_ROOT", WinReg.HKEY_CLASSES_ROOT,
          "HKEY_CURRENT_USER", WinReg.HKEY_CURRENT_USER);

  @Override
  public boolean exists(Key key) {
    try {
      closeKey(open(key));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public List<String> subkeys(Key key) throws IOException {
    char[] name = new char[256]; // key names are at most 255 characters
    return enumerate(
        key,
        (h, i, out) -> {
          IntByReference len = new IntByReference(name.length);
          int rc = Advapi32.INSTANCE.RegEnumKeyEx(h, i, name, len, null, null, null, null);
          if (rc == WinError.ERROR_SUCCESS) {
            out.add(new String(name, 0, len.getValue()));
          }
          return rc;
        });
  }

  @Override
  public List<Value> values(Key key) throws IOException {
    char[] name = new char[16_384]; // value names are at most 16383 characters
    byte[][] data = {new byte[4096]};
    return enumerate(
        key,
        (h, i, out) -> {
          IntByReference nameLen = new IntByReference(name.length);
          IntByReference type = new IntByReference();
          IntByReference dataLen = new IntByReference(data[0].length);
          int rc =
              Advapi32.INSTANCE.RegEnumValue(h, i, name, nameLen, null, type, data[0], dataLen);
          if (rc == WinError.ERROR_MORE_DATA) {
            data[0] = new byte[Math.max(dataLen.getValue(), data[0].length * 2)];
          } else if (rc == WinError.ERROR_SUCCESS) {
            String n = new String(name, 0, nameLen.getValue());
            out.add(new Value(n, type.getValue(), Arrays.copyOf(data[0], dataLen.getValue())));
          }
          return rc;
        });
  }

  /** One RegEnum* call for index {@code i}: adds the item to {@code out} on success. */
  @FunctionalInterface
  private interface EnumStep<T> {
    int next(HKEY h, int i, List<T> out);
  }

  /**
   * Every item of the opened {@code key}, by index until ERROR_NO_MORE_ITEMS; ERROR_MORE_DATA asks
   * for the same index again (the step made room). The key is closed after.
   */
  private static <T> List<T> enumerate(Key key, EnumStep<T> step) throws IOException {
    HKEY h = open(key);
    try {
      List<T> out = new ArrayList<>();
      for (int i = 0; ; ) {
        int rc = step.next(h, i, out);
        if (rc == WinError.ERROR_NO_MORE_ITEMS) {
          return out;
        }
        if (rc != WinError.ERROR_MORE_DATA) {
          check(rc, key);
          i++;
        }
      }
    } finally {
      closeKey(h);
    }
  }

  @Override
  public Watch watch(Key key, boolean subtree, Runnable changed) throws IOException {
    closeKey(open(key)); // fail here, not on the thread, when the key is not there
    NotifyThread t = new NotifyThread(key, subtree, changed);
    t.start();
    return t;
  }

  private static HKEY open(Key key) throws IOException {
    HKEY root = HIVES.get(key.hive());
    if (root == null) {
      throw new IOException("not a registry hive: " + key.hive());
    }
    WinReg.HKEYByReference h = new WinReg.HKEYByReference();
    check(Advapi32.INSTANCE.RegOpenKeyEx(root, key.path(), 0, ACCESS, h), key);
    return h.getValue();
  }

  private static void closeKey(HKEY h) {
    Advapi32.INSTANCE.RegCloseKey(h);
  }

  private static void check(int rc, Key key) throws IOException {
    if (rc == WinError.ERROR_FILE_NOT_FOUND || rc == WinError.ERROR_KEY_DELETED) {
      throw new NoSuchFileException(key.full());
    }
    if (rc != WinError.ERROR_SUCCESS) {
      throw new IOException(key.full() + ": Win32 error " + rc);
    }
  }

  /** One watch: arms, waits for the change or for close, tells, arms again. */
  private static final class NotifyThread extends Thread implements Watch {
    private final Key key;
    private final boolean subtree;
    private final Runnable changed;
    private final WinNT.HANDLE stop = Kernel32.INSTANCE.CreateEvent(null, true, false, null);
    private volatile boolean alive = true;

    NotifyThread(Key key, boolean subtree, Runnable changed) {
      super("kubefim-registry-watch");
      setDaemon(true);
      this.key = key;
      this.subtree = subtree;
      this.changed = changed;
    }

    @Override
    public void run() {
      WinNT.HANDLE event = Kernel32.INSTANCE.CreateEvent(null, false, false, null);
      HKEY h = null;
      try {
        h = open(key);
        while (true) {
          int rc = Advapi32.INSTANCE.RegNotifyChangeKeyValue(h, subtree, FILTER, event, true);
          if (rc != WinError.ERROR_SUCCESS) {
            break; // the key was deleted (ERROR_KEY_DELETED) or the handle broke
          }
          int w =
              Kernel32.INSTANCE.WaitForMultipleObjects(
                  2, new WinNT.HANDLE[] {event, stop}, false, WinBase.INFINITE);
          if (w != WinBase.WAIT_OBJECT_0) {
            return; // closed (or the wait failed): no more calls
          }
          changed.run();
        }
      } catch (IOException e) {
        // the key went between watch() and here: say so once, below
      } finally {
        alive = false;
        if (h != null) {
          closeKey(h);
        }
        Kernel32.INSTANCE.CloseHandle(event);
      }
      changed.run(); // the key is gone: the caller reads again and watches anew
    }

    @Override
    public boolean alive() {
      return alive;
    }

    @Override
    public void close() {
      Kernel32.INSTANCE.SetEvent(stop);
      try {
        join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Kernel32.INSTANCE.CloseHandle(stop);
    }
  }
}
