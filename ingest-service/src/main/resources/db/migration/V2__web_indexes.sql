-- KubeFIM embedded store, schema version 2: indexes for the web page (docs/web.md).
-- Window counts per machine (GROUP BY computer, entity_type, change_type over a time range) read
-- this index alone, without touching the rows.
CREATE INDEX ix_kubefim_events_window ON kubefim_events (time_generated, computer, entity_type, change_type);
-- A machine's changes of one ChangeType, newest first, keyset-paged on (time_generated, seq).
CREATE INDEX ix_kubefim_events_computer_change_time ON kubefim_events (computer, change_type, time_generated, seq);
