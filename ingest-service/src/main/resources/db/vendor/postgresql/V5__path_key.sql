-- KubeFIM store, schema version 5 (PostgreSQL; db/vendor/h2 has the same for H2).
-- A btree entry may not exceed about 2,704 bytes (a third of a page), so V1's index on the whole
-- file_path failed every batch holding a longer path (a path is up to 16384 characters, V4).
-- Path queries (EventQuery.pathPrefix) go through path_key, the first 512 characters of file_path
-- (at most 2,048 bytes in UTF-8), then check file_path itself. varchar_pattern_ops: a database
-- whose collation is not C (Azure's en_US.utf8, C.UTF-8) cannot serve LIKE 'prefix%' from a
-- plain btree. Adding a STORED column rewrites the table once (a lock for the migration's time).
ALTER TABLE kubefim_events ADD COLUMN path_key VARCHAR(512)
  GENERATED ALWAYS AS (SUBSTRING(file_path FROM 1 FOR 512)) STORED;
CREATE INDEX ix_kubefim_events_path_key ON kubefim_events (path_key varchar_pattern_ops);
DROP INDEX ix_kubefim_events_path;
