package io.kubefim.config.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a JAX-RS resource method of config-service; read by {@link AuthFilter}. A method
 * without it is refused to everyone (deny by default), so a new route is closed until it says who
 * may call it. Health and metrics are not JAX-RS routes and stay open.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Access {
  /** The caller the route serves. */
  Caller value();

  /** The callers config-service knows. */
  enum Caller {
    /**
     * A node agent acting for the node in the route's {@code {node}} path parameter: its token must
     * be the agents' ServiceAccount's, of a pod on that node.
     */
    AGENT,
    /** The operator: its token must be the operator's ServiceAccount's. */
    OPERATOR
  }
}
