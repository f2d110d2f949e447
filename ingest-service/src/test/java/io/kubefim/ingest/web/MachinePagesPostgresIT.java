package io.kubefim.ingest.web;

import io.kubefim.ingest.testing.Postgres;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.condition.EnabledIf;

/** {@link MachinePagesIT} (the machines page, its windows, paging and CSV) on a real PostgreSQL. */
@QuarkusTest
@TestProfile(Postgres.Profile.class)
@EnabledIf(
    value = "io.kubefim.ingest.testing.Postgres#available",
    disabledReason = "PostgreSQL's server binaries are not installed (apt-get install postgresql)")
class MachinePagesPostgresIT extends MachinePagesIT {}
