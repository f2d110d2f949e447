package io.kubefim.api.event;

/** How a change was found. */
public enum DetectionSource {
  Realtime,
  Scan
}
