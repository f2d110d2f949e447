package io.kubefim.agent.scan;

import java.io.InterruptedIOException;

/**
 * What a reader spends after each read (issue 18): a scan's byte rate ({@link ByteRate}) makes the
 * reading thread wait; realtime reads spend {@link #NONE}. Thread-safe.
 */
@FunctionalInterface
public interface ReadBudget {
  ReadBudget NONE = bytes -> {};

  /**
   * Accounts {@code bytes} just read, waiting as long as the budget asks.
   *
   * @throws InterruptedIOException when the thread is interrupted while it waits
   */
  void spend(long bytes) throws InterruptedIOException;
}
