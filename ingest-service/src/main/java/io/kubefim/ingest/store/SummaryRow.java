package io.kubefim.ingest.store;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One group of {@code GET /v1/summary}; names as in the event (SPEC §4). */
public record SummaryRow(
    @JsonProperty("Computer") String computer,
    @JsonProperty("MonitoredEntityType") String monitoredEntityType,
    @JsonProperty("ChangeType") String changeType,
    @JsonProperty("Count") long count) {}
