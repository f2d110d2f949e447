package io.kubefim.agent.attribution;

import java.util.List;

/**
 * The process behind one file system event, as identified when the event was read.
 *
 * @param pid host pid (0: the kernel reported none, e.g. a writer outside the agent's pid
 *     namespace)
 * @param info what {@code /proc} said while it was that process; null when it could not be told
 * @param parentComm the parent's name, read at the same time; null when unknown
 * @param unknown why {@code info} is null or partial (the writer had exited), else null
 * @param ancestorExes the exes of the parent, grandparent, ... (at most {@link
 *     Attributor#MAX_ANCESTORS}), read at the same time; an entry is empty when unreadable
 */
public record Writer(
    long pid, ProcessInfo info, String parentComm, String unknown, List<String> ancestorExes) {
  public Writer {
    ancestorExes = ancestorExes == null ? List.of() : List.copyOf(ancestorExes);
  }

  /** A writer whose ancestors were not read. */
  public Writer(long pid, ProcessInfo info, String parentComm, String unknown) {
    this(pid, info, parentComm, unknown, List.of());
  }

  /** Identity for counting distinct writers: pid and start time (a reused pid is another one). */
  Object key() {
    return new Key(pid, info == null ? -1 : info.startTicks());
  }

  private record Key(long pid, long startTicks) {}
}
