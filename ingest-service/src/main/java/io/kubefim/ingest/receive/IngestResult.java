package io.kubefim.ingest.receive;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of every answer of {@code POST /v1/events}.
 *
 * @param accepted events durably taken by every sink (0 unless the status is 202 or 400)
 * @param duplicates events dropped because their EventId was already taken
 * @param rejectedCount events refused for good (fix the agent, do not retry them)
 * @param rejected the first {@value #MAX_LISTED} refusals with their reasons
 * @param error why the request as a whole was not taken (4xx/5xx), absent on success
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngestResult(
    Integer accepted,
    Integer duplicates,
    Integer rejectedCount,
    List<Rejection> rejected,
    String error) {
  /** Rejections listed in one answer; the count says how many there were. */
  public static final int MAX_LISTED = 100;

  public static IngestResult error(String message) {
    return new IngestResult(null, null, null, null, message);
  }

  public static IngestResult of(int accepted, int duplicates, List<Rejection> rejected) {
    return new IngestResult(
        accepted,
        duplicates,
        rejected.size(),
        rejected.size() <= MAX_LISTED ? rejected : rejected.subList(0, MAX_LISTED),
        rejected.isEmpty() ? null : rejected.size() + " events refused, see rejected");
  }
}
