-- KubeFIM embedded store, schema version 4: a path is up to 16384 characters (PATH_MAX bytes,
-- each written as the agent's four-character \xNN escape when it is not UTF-8).
ALTER TABLE kubefim_events ALTER COLUMN file_path SET DATA TYPE VARCHAR(16384);
