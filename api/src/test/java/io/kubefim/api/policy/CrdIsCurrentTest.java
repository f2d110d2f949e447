package io.kubefim.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;

/**
 * Fails when the committed CRD is not what the build generates from the annotated classes. To
 * refresh it: {@code mvn -pl api verify -Dkubefim.crd.update=true}, then commit {@code crds/}.
 */
class CrdIsCurrentTest {
  static final String UPDATE_PROPERTY = "kubefim.crd.update";

  @Test
  void committedCrdMatchesTheGeneratedOne() throws Exception {
    assertThat(CrdFiles.GENERATED)
        .as("the build generates the CRD in process-classes (crd-generator-maven-plugin)")
        .exists();
    String generated = Files.readString(CrdFiles.GENERATED);
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      Files.createDirectories(CrdFiles.COMMITTED.getParent());
      Files.copy(CrdFiles.GENERATED, CrdFiles.COMMITTED, StandardCopyOption.REPLACE_EXISTING);
    }
    String committed = Files.exists(CrdFiles.COMMITTED) ? Files.readString(CrdFiles.COMMITTED) : "";

    assertThat(committed)
        .as(
            "crds/%s differs from the CRD generated from the api classes. Refresh it with"
                + " `mvn -pl api verify -Dkubefim.crd.update=true` (it copies %s) and commit"
                + " crds/.",
            CrdFiles.NAME, "api/" + CrdFiles.GENERATED)
        .isEqualTo(generated);
  }
}
