-- KubeFIM embedded store, schema version 7 (H2; db/vendor/postgresql has the same for PostgreSQL).
-- Expected changes (issue 17): the event's ChangeExpected (false when the agent did not label it)
-- and ExpectedReason as columns, so the pages and GET /v1/events?expected= filter, count and
-- order by them without reading event_json. One ALTER adds both columns.
ALTER TABLE kubefim_events ADD COLUMN (
  change_expected BOOLEAN DEFAULT FALSE NOT NULL,
  expected_reason VARCHAR(4200)
);
-- Events stored before this version that the agent labelled (the api module had the fields
-- first). Jackson writes compact JSON, and a quote inside a JSON string is escaped, so this
-- pattern matches the event's own field only. A reason holding a JSON escape (\" or \uNNNN) is
-- left NULL here; the event's JSON still has it.
UPDATE kubefim_events
  SET change_expected = TRUE,
      expected_reason = REGEXP_SUBSTR(event_json, '"ExpectedReason":"([^"\\]*)"', 1, 1, '', 1)
  WHERE event_json LIKE '%"ChangeExpected":true%';
-- A machine's unexpected (or expected) changes, newest first, keyset-paged on (time_generated, seq).
CREATE INDEX ix_kubefim_events_computer_expected_time
  ON kubefim_events (computer, change_expected, time_generated, seq);
-- Window counts (V2) group by change_expected too: the index keeps serving them alone.
DROP INDEX ix_kubefim_events_window;
CREATE INDEX ix_kubefim_events_window
  ON kubefim_events (time_generated, computer, entity_type, change_type, change_expected);
