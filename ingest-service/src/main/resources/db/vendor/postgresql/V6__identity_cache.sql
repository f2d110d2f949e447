-- KubeFIM store, schema version 6 (PostgreSQL): nothing to change. The H2 migration of the same
-- version enlarges H2's identity cache (db/vendor/h2/V6__identity_cache.sql); PostgreSQL's nextval
-- writes no page per call, so the default is kept. Kept so that both databases have every version.
SELECT 1;
