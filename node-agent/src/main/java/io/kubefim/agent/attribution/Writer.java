package io.kubefim.agent.attribution;

/**
 * The process behind one file system event, as identified when the event was read.
 *
 * @param pid host pid (0: the kernel reported none, e.g. a writer outside the agent's pid
 *     namespace)
 * @param info what {@code /proc} said while it was that process; null when it could not be told
 * @param parentComm the parent's name, read at the same time; null when unknown
 * @param unknown why {@code info} is null or partial (the writer had exited), else null
 */
public record Writer(long pid, ProcessInfo info, String parentComm, String unknown) {
  /** Identity for counting distinct writers: pid and start time (a reused pid is another one). */
  Object key() {
    return new Key(pid, info == null ? -1 : info.startTicks());
  }

  private record Key(long pid, long startTicks) {}
}
