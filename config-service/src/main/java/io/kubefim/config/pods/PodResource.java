package io.kubefim.config.pods;

import io.kubefim.api.pods.PodIdentities;
import io.kubefim.config.auth.Access;
import io.kubefim.config.pods.PodDirectory.Lookup;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The pod directory for agents (issue 12): who the pod of a writer's cgroup is. An agent asks only
 * for its own node ({@link Access.Caller#AGENT}, node-bound like its config), so that agents need
 * no RBAC on pods, which could not be limited to one node.
 */
@Path("/v1/nodes/{node}/pods")
@Produces(MediaType.APPLICATION_JSON)
public class PodResource {
  /** A pod uid as the API server writes it, or as the systemd cgroup driver does (underscores). */
  private static final Pattern UID = Pattern.compile("[0-9a-fA-F][0-9a-fA-F_-]{0,63}");

  /** A bare container id: hex (64 digits for containerd, CRI-O and Docker). */
  private static final Pattern CONTAINER_ID = Pattern.compile("[0-9a-fA-F]{1,128}");

  @Inject PodDirectory pods;
  @Inject MeterRegistry metrics;

  /**
   * 200 with the {@link io.kubefim.api.pods.PodIdentity} of the pod {@code podUid} on {@code node};
   * 404 when the node has no such pod (after a look at most {@code
   * kubefim.config.pods.min-relist-interval} old), for an unknown node, and always in local mode;
   * 503 with {@code Retry-After} when the API server cannot be asked. With {@code ?containerId=}
   * (the bare id from the writer's cgroup), a cached pod that lacks that container is looked up
   * again (same rate limit), so that a {@code kubectl debug} container started after the last list
   * is named. Runs on a worker thread: a lookup may list the node's pods.
   */
  @GET
  @Path("/{podUid}")
  @Access(Access.Caller.AGENT)
  @Blocking
  public Response pod(
      @PathParam("node") String node,
      @PathParam("podUid") String podUid,
      @QueryParam("containerId") String containerId) {
    if (!UID.matcher(podUid).matches()) {
      return problem(400, "podUid: not a pod uid (hex digits and dashes)").build();
    }
    String container = PodIdentities.bareContainerId(containerId);
    if (container != null && !CONTAINER_ID.matcher(container).matches()) {
      return problem(400, "containerId: not a container id (hex digits)").build();
    }
    Lookup l =
        pods.find(
            node,
            podUid.replace('_', '-').toLowerCase(Locale.ROOT),
            container == null ? null : container.toLowerCase(Locale.ROOT));
    metrics
        .counter(
            "kubefim.config.pods.lookups", "outcome", l.outcome().name().toLowerCase(Locale.ROOT))
        .increment();
    return switch (l.outcome()) {
      case FOUND -> Response.ok(l.pod()).build();
      case NOT_FOUND -> problem(404, l.reason()).build();
      case UNAVAILABLE -> problem(503, l.reason()).header("Retry-After", "2").build();
    };
  }

  /** The error shape of every config-service route: {@code {"status": 404, "error": "..."}}. */
  private static Response.ResponseBuilder problem(int status, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("status", status, "error", message));
  }
}
