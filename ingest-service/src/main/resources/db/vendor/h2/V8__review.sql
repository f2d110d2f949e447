-- KubeFIM embedded store, schema version 8 (H2; db/vendor/postgresql has the same for PostgreSQL).
-- "An unexpected change stays visible until someone looks" (issue 17): who marked a change
-- reviewed and when (ReviewStore). Only unexpected File and Registry changes are ever marked.
ALTER TABLE kubefim_events ADD COLUMN (
  reviewed_at TIMESTAMP WITH TIME ZONE,
  reviewed_by VARCHAR(512)
);
-- A machine's unreviewed unexpected changes: counted for the machines page (any time) and marked
-- up to a seq in one UPDATE (computer = ? AND change_expected = FALSE AND reviewed_at IS NULL AND
-- entity_type IN (...) AND seq <= ?).
CREATE INDEX ix_kubefim_events_unreviewed
  ON kubefim_events (computer, change_expected, reviewed_at, entity_type, seq);
