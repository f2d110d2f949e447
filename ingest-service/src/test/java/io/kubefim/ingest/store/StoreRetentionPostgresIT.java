package io.kubefim.ingest.store;

import io.kubefim.ingest.testing.Postgres;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * {@link StoreRetentionIT} on a real PostgreSQL: the same chunked deletes by age, then by size, on
 * a cluster of its own (other tests' rows are not for deleting).
 */
@QuarkusTest
@TestProfile(StoreRetentionPostgresIT.PostgresBounds.class)
@EnabledIf(
    value = "io.kubefim.ingest.testing.Postgres#available",
    disabledReason = "PostgreSQL's server binaries are not installed (apt-get install postgresql)")
class StoreRetentionPostgresIT extends StoreRetentionIT {
  /** {@link StoreRetentionIT.Bounds} with the store on PostgreSQL. */
  public static class PostgresBounds extends Postgres.Profile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> all = new HashMap<>(new StoreRetentionIT.Bounds().getConfigOverrides());
      all.putAll(super.getConfigOverrides());
      return all;
    }
  }
}
