package io.kubefim.ingest.store;

import io.kubefim.ingest.testing.Postgres;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * {@link StoreIT} on a real PostgreSQL (issue 16): the same writes (dedup by EventId), reads with
 * filters, summary and paging, through the Flyway migrations the H2 store uses.
 */
@QuarkusTest
@TestProfile(Postgres.Profile.class)
@EnabledIf(
    value = "io.kubefim.ingest.testing.Postgres#available",
    disabledReason = "PostgreSQL's server binaries are not installed (apt-get install postgresql)")
class StorePostgresIT extends StoreIT {}
