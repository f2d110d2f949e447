package io.kubefim.ingest.store;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One group of {@code GET /v1/summary}; names as in the event (SPEC §4). Expected and unexpected
 * changes of one type are two rows (issue 17).
 */
public record SummaryRow(
    @JsonProperty("Computer") String computer,
    @JsonProperty("MonitoredEntityType") String monitoredEntityType,
    @JsonProperty("ChangeType") String changeType,
    @JsonProperty("ChangeExpected") boolean changeExpected,
    @JsonProperty("Count") long count) {}
