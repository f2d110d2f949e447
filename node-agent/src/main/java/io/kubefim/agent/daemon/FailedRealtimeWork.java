package io.kubefim.agent.daemon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subtrees whose realtime handling failed, waiting for their rescan: each is rescanned at once,
 * and a rescan that fails too is retried with back-off (1 s doubling to 60 s) without holding up
 * other work. Pure bookkeeping with an explicit clock; engine thread only.
 */
final class FailedRealtimeWork {
  /**
   * A subtree due for its rescan.
   *
   * @param path the subtree's root (a file or a directory)
   * @param why the failure, for the CoverageGap
   * @param reported its CoverageGap has been recorded (report it once)
   */
  record Due(String path, String why, boolean reported) {}

  private static final class Item {
    final String why;
    int attempts;
    long notBefore;
    boolean reported;

    Item(String why) {
      this.why = why;
    }
  }

  private final Map<String, Item> items = new LinkedHashMap<>();

  /** {@code path}'s realtime handling failed; a path already waiting keeps its first reason. */
  void add(String path, String why) {
    items.putIfAbsent(path, new Item(why));
  }

  /** The subtrees whose rescan is due at {@code nowMillis}, oldest first. */
  List<Due> due(long nowMillis) {
    List<Due> out = new ArrayList<>();
    items.forEach(
        (p, it) -> {
          if (it.notBefore <= nowMillis) {
            out.add(new Due(p, it.why, it.reported));
          }
        });
    return out;
  }

  /** Its CoverageGap is recorded. */
  void reported(String path) {
    Item it = items.get(path);
    if (it != null) {
      it.reported = true;
    }
  }

  /** Rescanned: done. */
  void done(String path) {
    items.remove(path);
  }

  /**
   * The rescan failed: due again after the back-off.
   *
   * @return the attempts so far
   */
  int retryLater(String path, long nowMillis) {
    Item it = items.get(path);
    if (it == null) {
      return 0;
    }
    it.attempts++;
    it.notBefore = nowMillis + Math.min(60_000L, 1000L << Math.min(it.attempts - 1, 6));
    return it.attempts;
  }

  int size() {
    return items.size();
  }
}
