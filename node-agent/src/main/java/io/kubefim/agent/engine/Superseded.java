package io.kubefim.agent.engine;

import io.kubefim.api.glob.HostPaths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The paths realtime work reconciled while a full scan ran (issue 18): single paths and whole
 * subtrees. The scan's own observations of them are older than realtime's, so the scan neither
 * compares nor writes them. Engine thread only.
 */
final class Superseded {
  private final Set<String> paths = new HashSet<>();
  private final List<String> trees = new ArrayList<>();

  void add(String path, boolean tree) {
    if (tree) {
      trees.add(path);
    } else {
      paths.add(path);
    }
  }

  boolean isEmpty() {
    return paths.isEmpty() && trees.isEmpty();
  }

  /** True when {@code path} was reconciled, or lies in a subtree that was. */
  boolean contains(String path) {
    if (paths.contains(path)) {
      return true;
    }
    for (String t : trees) {
      if (HostPaths.isUnder(path, t)) {
        return true;
      }
    }
    return false;
  }
}
