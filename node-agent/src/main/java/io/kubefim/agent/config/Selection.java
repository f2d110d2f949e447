package io.kubefim.agent.config;

import io.kubefim.api.policy.Attribute;
import io.kubefim.api.policy.HashAlgorithm;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The union of every rule that selects one path: what counts as a change there, which digests to
 * record, and which policies and tags the event carries.
 *
 * @param attributes what counts as a change
 * @param hashes digests to record
 * @param maxFileSize bytes; larger files are metadata only (the largest limit of the rules)
 * @param realtime watched in realtime (any rule asks for it)
 * @param debounceMillis quiet time before an event (the shortest of the rules)
 * @param policyNames sorted policy names
 * @param tags merged tags
 * @param attribution say who made realtime changes (any rule asks for it)
 * @param windows the rules are Windows rules (issue 15): the path is in slash form ({@code
 *     /C:/Windows}) and events carry it as Windows writes it ({@code C:\Windows})
 */
public record Selection(
    Set<Attribute> attributes,
    Set<HashAlgorithm> hashes,
    long maxFileSize,
    boolean realtime,
    long debounceMillis,
    List<String> policyNames,
    Map<String, String> tags,
    boolean attribution,
    boolean windows) {}
