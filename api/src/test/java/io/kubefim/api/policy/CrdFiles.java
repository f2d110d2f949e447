package io.kubefim.api.policy;

import java.nio.file.Path;

/** Where the build writes the FimPolicy CRD and where the repository keeps it. */
final class CrdFiles {
  static final String NAME = "fimpolicies.kubefim.io-v1.yml";

  /** Written by crd-generator-maven-plugin in process-classes; tests run from api/. */
  static final Path GENERATED = Path.of("target", "classes", "META-INF", "fabric8", NAME);

  /** The committed copy that `kubectl apply -f crds/` and the Helm chart use. */
  static final Path COMMITTED = Path.of("..", "crds", NAME);

  private CrdFiles() {}
}
