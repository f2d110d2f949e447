package io.kubefim.agent.cli;

import io.kubefim.agent.engine.ScanEngine.ScanResult;
import io.kubefim.api.event.ChangeType;

/** SPEC §6 exit codes of {@code check}: a bitmask of what changed, sysexits for failures. */
public final class ExitCodes {
  public static final int CREATED = 1;
  public static final int DELETED = 2;
  public static final int MODIFIED = 4;

  /** EX_USAGE: bad arguments or an invalid policy. */
  public static final int USAGE = 64;

  /** EX_IOERR: the state database or the tree could not be used. */
  public static final int IO = 74;

  /**
   * EX_SOFTWARE: the agent crashed (an unexpected exception or an Error such as a stack overflow).
   * Its own code, outside the change bitmask, so a crash never reads as "files created".
   */
  public static final int SOFTWARE = 70;

  private ExitCodes() {}

  /** The bitmask for what a scan found. */
  public static int of(ScanResult r) {
    int code = 0;
    if (r.count(ChangeType.Created) > 0) {
      code |= CREATED;
    }
    if (r.count(ChangeType.Deleted) > 0) {
      code |= DELETED;
    }
    if (r.count(ChangeType.Modified) > 0 || r.count(ChangeType.Renamed) > 0) {
      code |= MODIFIED;
    }
    return code;
  }
}
