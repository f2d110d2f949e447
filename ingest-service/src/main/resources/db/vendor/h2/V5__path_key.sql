-- KubeFIM embedded store, schema version 5 (H2; db/vendor/postgresql has the same for PostgreSQL).
-- Path queries (EventQuery.pathPrefix) go through path_key, the first 512 characters of file_path,
-- instead of an index on the whole path: PostgreSQL refuses a btree entry over about 2,704 bytes,
-- and a path is up to 16384 characters (V4). EventQuery narrows by path_key, then checks file_path.
ALTER TABLE kubefim_events ADD COLUMN path_key VARCHAR(512)
  GENERATED ALWAYS AS (SUBSTRING(file_path FROM 1 FOR 512));
CREATE INDEX ix_kubefim_events_path_key ON kubefim_events (path_key);
DROP INDEX ix_kubefim_events_path;
