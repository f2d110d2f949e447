package io.kubefim.config.serve;

import io.kubefim.api.config.AgentConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Writes an {@link AgentConfig} answer from {@link ConfigBodies}'s template (the same bytes Jackson
 * writes), when the answer is written rather than when it is made.
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public class AgentConfigWriter implements ServerMessageBodyWriter<AgentConfig> {
  @Inject ConfigBodies bodies;

  @Override
  public boolean isWriteable(
      Class<?> type, Type genericType, ResteasyReactiveResourceInfo target, MediaType mediaType) {
    return AgentConfig.class.isAssignableFrom(type);
  }

  @Override
  public void writeResponse(AgentConfig config, Type genericType, ServerRequestContext context) {
    context.serverResponse().end(bodies.json(config));
  }

  @Override
  public boolean isWriteable(
      Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return AgentConfig.class.isAssignableFrom(type);
  }

  @Override
  public void writeTo(
      AgentConfig config,
      Class<?> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, Object> headers,
      OutputStream out)
      throws IOException {
    out.write(bodies.json(config));
  }
}
