package io.kubefim.config.serve;

import io.kubefim.api.compile.NodeSelection;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.policy.Durations;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.ValidationProblem;
import io.kubefim.api.status.NodeStatus;
import io.kubefim.api.status.PolicyRollout;
import io.kubefim.config.ConfigServiceConfig;
import io.kubefim.config.auth.Access;
import io.kubefim.config.rollout.Heartbeats;
import io.kubefim.config.rollout.RolloutCalculator;
import io.kubefim.config.source.PolicySnapshot;
import io.kubefim.config.source.PolicySource;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The agents' and the operator's HTTP interface (SPEC §6). Every method says who may call it with
 * {@link Access}; {@link io.kubefim.config.auth.AuthFilter} refuses methods that do not.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigResource {
  @Inject NodeConfigs configs;
  @Inject PolicySource source;
  @Inject Heartbeats heartbeats;
  @Inject ConfigServiceConfig settings;
  Clock clock = Clock.systemUTC();
  private static volatile ParsedWait lastWait;

  /**
   * The node's compiled config with {@code ETag} = its version. With {@code If-None-Match} and
   * {@code ?wait=30s} the answer waits until the version differs (200) or the wait runs out (304).
   */
  @GET
  @Path("/nodes/{node}/config")
  @Access(Access.Caller.AGENT)
  public CompletionStage<Response> config(
      @PathParam("node") String node,
      @HeaderParam("If-None-Match") String ifNoneMatch,
      @QueryParam("wait") String wait) {
    Duration w;
    try {
      w = waitOf(wait);
    } catch (IllegalArgumentException e) {
      return done(problem(400, "wait: " + e.getMessage()));
    }
    if (w.compareTo(settings.maxWait()) > 0) {
      w = settings.maxWait();
    }
    String known = etagValue(ifNoneMatch);
    if (known == null) {
      w = Duration.ZERO;
    }
    return configs.awaitChange(node, known, w).thenApply(c -> answer(node, c, known));
  }

  /** Every agent asks for the same wait: the last one parsed is kept (parsing is a regex). */
  private Duration waitOf(String wait) {
    if (wait == null || wait.isBlank()) {
      return Duration.ZERO;
    }
    ParsedWait last = lastWait;
    if (last != null && last.text.equals(wait)) {
      return last.duration;
    }
    Duration d = Durations.parse(wait);
    lastWait = new ParsedWait(wait, d);
    return d;
  }

  private record ParsedWait(String text, Duration duration) {}

  private Response answer(String node, Optional<AgentConfig> config, String known) {
    if (config.isEmpty()) {
      return problem(404, "unknown node: " + node);
    }
    EntityTag tag = new EntityTag(config.get().version());
    if (config.get().version().equals(known)) {
      return Response.notModified(tag).build();
    }
    // AgentConfigWriter serializes it when the answer is written, on the connection's event loop:
    // a fan-out to every waiting agent holds configs (shared rules), not thousands of bodies.
    return Response.ok(config.get()).tag(tag).build();
  }

  /** An agent's heartbeat. */
  @PUT
  @Path("/nodes/{node}/status")
  @Access(Access.Caller.AGENT)
  @Consumes(MediaType.APPLICATION_JSON)
  public Response status(@PathParam("node") String node, NodeStatus status) {
    if (status == null) {
      return problem(400, "body: a NodeStatus JSON object is required");
    }
    if (status.node() != null && !status.node().equals(node)) {
      return problem(400, "node: body names " + status.node() + " but the path names " + node);
    }
    heartbeats.record(
        new NodeStatus(
            status.formatVersion(),
            node,
            status.appliedVersion(),
            status.appliedPolicies(),
            status.state() == null ? NodeStatus.State.Starting : status.state(),
            status.filesMonitored(),
            status.watches(),
            status.outboxDepth(),
            status.errors(),
            status.time(),
            status.attributionUnavailable()));
    return Response.noContent().build();
  }

  /**
   * Target, applied and ready nodes of a policy's current generation, and, when config-service
   * leaves the policy out, why ({@code problems}).
   */
  @GET
  @Path("/policies/{name}/rollout")
  @Access(Access.Caller.OPERATOR)
  public Response rollout(@PathParam("name") String name) {
    PolicySnapshot s = source.current();
    Optional<FimPolicy> policy =
        s.policies().stream().filter(p -> name.equals(p.getMetadata().getName())).findFirst();
    if (policy.isEmpty()) {
      return problem(404, "unknown policy: " + name);
    }
    Long gen = policy.get().getMetadata().getGeneration();
    List<ValidationProblem> problems = configs.problemsOf(name);
    if (!problems.isEmpty()) {
      // Left out of every config: no node can apply it, and its selector may not even evaluate.
      return Response.ok(
              new PolicyRollout(name, gen == null ? 0 : gen, 0, 0, 0, List.of(), problems))
          .build();
    }
    Map<String, Heartbeats.Received> beats = heartbeats.all();
    Set<String> candidates = s.anyNode() ? beats.keySet() : s.nodes().keySet();
    Map<String, String> targets = new LinkedHashMap<>();
    for (String node : candidates) {
      Map<String, String> labels = s.labelsOf(node).orElse(Map.of());
      if (NodeSelection.selects(policy.get().getSpec(), labels)) {
        targets.put(node, configs.configOf(node).map(AgentConfig::version).orElse(null));
      }
    }
    PolicyRollout r =
        RolloutCalculator.rollout(
            name,
            gen == null ? 0 : gen,
            targets,
            beats,
            clock.instant(),
            settings.heartbeatTimeout());
    return Response.ok(r.withProblems(configs.problemsOf(name))).build();
  }

  private static String etagValue(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String v = header.trim();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    return v;
  }

  static Response problem(int status, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("status", status, "error", message))
        .build();
  }

  private static CompletionStage<Response> done(Response r) {
    return CompletableFuture.completedFuture(r);
  }
}
