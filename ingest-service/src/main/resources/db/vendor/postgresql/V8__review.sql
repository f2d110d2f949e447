-- KubeFIM store, schema version 8 (PostgreSQL; db/vendor/h2 has the same for H2).
-- "An unexpected change stays visible until someone looks" (issue 17): who marked a change
-- reviewed and when (ReviewStore). Only unexpected File and Registry changes are ever marked.
-- Nullable columns without a default: no table rewrite.
ALTER TABLE kubefim_events
  ADD COLUMN reviewed_at TIMESTAMP WITH TIME ZONE,
  ADD COLUMN reviewed_by VARCHAR(512);
-- A machine's unreviewed unexpected changes: counted for the machines page (any time) and marked
-- up to a seq in one UPDATE (computer = ? AND change_expected = FALSE AND reviewed_at IS NULL AND
-- entity_type IN (...) AND seq <= ?).
CREATE INDEX ix_kubefim_events_unreviewed
  ON kubefim_events (computer, change_expected, reviewed_at, entity_type, seq);
