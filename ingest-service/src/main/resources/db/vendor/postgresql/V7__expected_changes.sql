-- KubeFIM store, schema version 7 (PostgreSQL; db/vendor/h2 has the same for H2).
-- Expected changes (issue 17): the event's ChangeExpected (false when the agent did not label it)
-- and ExpectedReason as columns, so the pages and GET /v1/events?expected= filter, count and
-- order by them without reading event_json. A column with a constant default is added without
-- rewriting the table (PostgreSQL 11+).
ALTER TABLE kubefim_events
  ADD COLUMN change_expected BOOLEAN NOT NULL DEFAULT FALSE,
  ADD COLUMN expected_reason VARCHAR(4200);
-- Events stored before this version that the agent labelled (the api module had the fields
-- first). Jackson writes compact JSON, and a quote inside a JSON string is escaped, so the LIKE
-- matches the event's own field only; the reason is read from the JSON itself.
UPDATE kubefim_events
  SET change_expected = TRUE,
      expected_reason = LEFT(event_json::jsonb ->> 'ExpectedReason', 4200)
  WHERE event_json LIKE '%"ChangeExpected":true%';
-- A machine's unexpected (or expected) changes, newest first, keyset-paged on (time_generated, seq).
CREATE INDEX ix_kubefim_events_computer_expected_time
  ON kubefim_events (computer, change_expected, time_generated, seq);
-- Window counts (V2) group by change_expected too: the index keeps serving them alone.
DROP INDEX ix_kubefim_events_window;
CREATE INDEX ix_kubefim_events_window
  ON kubefim_events (time_generated, computer, entity_type, change_type, change_expected);
