package io.kubefim.ingest.store;

import io.kubefim.ingest.testing.Postgres;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.condition.EnabledIf;

/** {@link ReviewStoreIT} on a real PostgreSQL: the same marks, refusals and race. */
@QuarkusTest
@TestProfile(Postgres.Profile.class)
@EnabledIf(
    value = "io.kubefim.ingest.testing.Postgres#available",
    disabledReason = "PostgreSQL's server binaries are not installed (apt-get install postgresql)")
class ReviewStorePostgresIT extends ReviewStoreIT {}
