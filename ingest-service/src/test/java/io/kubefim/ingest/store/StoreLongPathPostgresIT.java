package io.kubefim.ingest.store;

import io.kubefim.ingest.testing.Postgres;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.condition.EnabledIf;

/** {@link StoreLongPathIT} on a real PostgreSQL: where a btree on the whole path fails a batch. */
@QuarkusTest
@TestProfile(Postgres.Profile.class)
@EnabledIf(
    value = "io.kubefim.ingest.testing.Postgres#available",
    disabledReason = "PostgreSQL's server binaries are not installed (apt-get install postgresql)")
class StoreLongPathPostgresIT extends StoreLongPathIT {}
