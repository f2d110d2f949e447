package io.kubefim.ingest.web;

/** An {@code <option>} of a filter form. */
public record Option(String value, String label, boolean selected) {}
