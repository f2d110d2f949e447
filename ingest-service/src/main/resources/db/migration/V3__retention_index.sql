-- KubeFIM embedded store, schema version 3: retention (StoreRetention) deletes by arrival time,
-- oldest first, behind this index.
CREATE INDEX ix_kubefim_events_received ON kubefim_events (received_at, seq);
