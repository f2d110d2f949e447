-- KubeFIM embedded store, schema version 6 (H2 only; db/vendor/postgresql has an empty V6).
-- H2 keeps an identity's next values in a cache of 32 and, when the cache runs out, writes the
-- sequence through to the file at once: with WRITE_DELAY 0 (durable commits, CommitDurability)
-- that is a whole MVStore chunk every 32 rows, 16 extra chunk writes for a 500-event batch. They
-- cost a third of the store's CPU and most of the file's growth (bench/ingest, docs/benchmarks-ingest.md).
-- A larger cache only means that a crash skips up to that many seq values: seq orders rows and
-- pages them, nothing needs it without gaps, and after a restart it goes on above the skipped ones.
ALTER TABLE kubefim_events ALTER COLUMN seq SET CACHE 10000;
