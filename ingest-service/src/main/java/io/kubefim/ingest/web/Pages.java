package io.kubefim.ingest.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The plain-text error answers of the pages. */
final class Pages {
  private Pages() {}

  static Response bad(String message) {
    return text(Response.Status.BAD_REQUEST, message);
  }

  static Response notFound(String message) {
    return text(Response.Status.NOT_FOUND, message);
  }

  static Response notConfigured() {
    return notFound("the store sink is not configured (kubefim.ingest.sinks)");
  }

  static Response forbidden(String message) {
    return text(Response.Status.FORBIDDEN, message);
  }

  static Response unauthorized(String message) {
    return Response.fromResponse(text(Response.Status.UNAUTHORIZED, message))
        .header("WWW-Authenticate", "Bearer realm=\"kubefim\"")
        .build();
  }

  static Response conflict(String message) {
    return text(Response.Status.CONFLICT, message);
  }

  static Response failed() {
    return text(Response.Status.INTERNAL_SERVER_ERROR, "store query failed");
  }

  private static Response text(Response.Status status, String message) {
    return Response.status(status)
        .type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
        .entity(message + "\n")
        .build();
  }
}
