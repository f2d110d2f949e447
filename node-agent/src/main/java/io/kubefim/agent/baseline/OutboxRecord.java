package io.kubefim.agent.baseline;

/**
 * One event waiting in the outbox.
 *
 * @param seq outbox order; rows up to a seq are deleted once the sink confirmed them
 * @param eventId the event's EventId
 * @param json the event as one line of JSON (SPEC §4)
 */
public record OutboxRecord(long seq, String eventId, String json) {}
