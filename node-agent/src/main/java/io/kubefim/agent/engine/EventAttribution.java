package io.kubefim.agent.engine;

import io.kubefim.api.event.FimEvent;

/**
 * Says who made a realtime change: fills the event's {@link FimEvent#getAttribution()} (and its
 * ErrorMessage when the writer cannot be told). Called on the engine thread while the event is
 * made, before it is written with the baseline.
 */
public interface EventAttribution {
  /**
   * @param event the realtime file event, its paths set
   * @param path the path the event is about
   * @param originalPath the old path of a rename, else null
   */
  void attribute(FimEvent event, String path, String originalPath);
}
