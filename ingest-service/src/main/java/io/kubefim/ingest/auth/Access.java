package io.kubefim.ingest.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a JAX-RS resource method of ingest-service; read by {@link ReaderFilter}. A method
 * without it is refused to everyone (deny by default), so a new route is closed until it says who
 * may call it. Health and metrics ({@code /q/...}) are not JAX-RS routes and stay open.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Access {
  /** The caller the route serves. */
  Caller value();

  /** The callers ingest-service knows. */
  enum Caller {
    /** A node agent posting its node's events; the method checks the token itself (AgentAuth). */
    AGENT,
    /** A reader: logged in (OIDC, Kubernetes token, local token), then allowed by RBAC. */
    READER,
    /** Anyone: the login and logout pages only. */
    ANYONE
  }
}
