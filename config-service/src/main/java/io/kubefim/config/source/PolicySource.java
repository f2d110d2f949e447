package io.kubefim.config.source;

import java.util.function.Consumer;

/**
 * Where policies and nodes come from: Kubernetes informers, or a directory of FimPolicy YAML in
 * local mode. Implementations never throw on bad policies: they carry them in the snapshot.
 */
public interface PolicySource {
  /** The latest snapshot; never null. */
  PolicySnapshot current();

  /**
   * Registers a listener called with every new snapshot, on the source's own thread. Listeners must
   * not block.
   */
  void onChange(Consumer<PolicySnapshot> listener);

  /** True once the source has read its initial state (informers synced, directory read). */
  boolean isReady();
}
