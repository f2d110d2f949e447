package io.kubefim.api.policy;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One node's problem applying a policy, as reported by its agent. */
public record NodeError(
    @JsonPropertyDescription("Node name.") String node,
    @JsonPropertyDescription("What went wrong, in words.") String message) {}
