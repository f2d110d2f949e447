package io.kubefim.ingest.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * Logging in and out in a browser. With OIDC on, {@code /} itself starts the code flow and {@code
 * /logout} ends the session at the issuer too ({@code quarkus.oidc.logout.path}). With the local
 * reader token ({@code ./kubefim up}), {@code /login?token=...} (the link it prints, as Jupyter's)
 * or the form turns the token into a session cookie that is {@code Secure}, {@code HttpOnly} and
 * {@code SameSite=Strict}, and redirects to the page asked for without the token in the address.
 */
@Path("/")
public class LoginResource {
  private static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");

  private final Readers readers;
  private final CurrentIdentityAssociation identities;

  @Inject
  public LoginResource(Readers readers, CurrentIdentityAssociation identities) {
    this.readers = readers;
    this.identities = identities;
  }

  @GET
  @Path("login")
  @Produces(MediaType.TEXT_HTML)
  @Access(Access.Caller.ANYONE)
  public Response loginPage(@QueryParam("token") String token, @QueryParam("next") String next) {
    return login(token, next);
  }

  @POST
  @Path("login")
  @Produces(MediaType.TEXT_HTML)
  @Access(Access.Caller.ANYONE)
  public Response loginForm(@FormParam("token") String token, @FormParam("next") String next) {
    return login(token, next);
  }

  /**
   * Ends the local session; an OIDC session ends in the OIDC mechanism before this runs (it
   * redirects to the issuer's end-session endpoint), which asking for the identity sets off.
   */
  @POST
  @Path("logout")
  @Produces(MediaType.TEXT_HTML)
  @Access(Access.Caller.ANYONE)
  public Uni<Response> logout(@CookieParam(Readers.COOKIE) String session) {
    return identities
        .getDeferredIdentity()
        .onFailure(AuthenticationFailedException.class)
        .recoverWithNull() // a bad session still logs out; an OIDC redirect goes through
        .map(
            ignored -> {
              readers.sessions().close(session);
              return Response.seeOther(URI.create("/logged-out")).cookie(cookie("", 0)).build();
            });
  }

  @GET
  @Path("logout")
  @Produces(MediaType.TEXT_HTML)
  @Access(Access.Caller.ANYONE)
  public Uni<Response> logoutLink(@CookieParam(Readers.COOKIE) String session) {
    return logout(session);
  }

  @GET
  @Path("logged-out")
  @Produces(MediaType.TEXT_HTML)
  @Access(Access.Caller.ANYONE)
  public Response loggedOut() {
    return Response.ok(LoginPages.loggedOut(), HTML).build();
  }

  private Response login(String token, String next) {
    String target = safeNext(next);
    if (!readers.hasLocalToken()) {
      return readers.oidc()
          ? Response.seeOther(URI.create(target)).build() // the page starts the code flow
          : Response.status(404).type(HTML).entity(LoginPages.noLogin()).build();
    }
    if (token == null || token.isBlank()) {
      return Response.ok(LoginPages.form(target, null), HTML).build();
    }
    if (!readers.isLocalToken(token)) {
      return Response.status(401)
          .type(HTML)
          .entity(LoginPages.form(target, "token rejected: not this service's reader token"))
          .build();
    }
    String session = readers.sessions().open();
    int maxAge = (int) readers.sessions().ttl().toSeconds();
    return Response.seeOther(URI.create(target)).cookie(cookie(session, maxAge)).build();
  }

  private static NewCookie cookie(String value, int maxAge) {
    return new NewCookie.Builder(Readers.COOKIE)
        .value(value)
        .path("/")
        .maxAge(maxAge)
        .secure(true)
        .httpOnly(true)
        .sameSite(NewCookie.SameSite.STRICT)
        .build();
  }

  /** Only a path of this service: an open redirect would make the login link a phishing tool. */
  static String safeNext(String next) {
    if (next == null
        || !next.startsWith("/")
        || next.startsWith("//")
        || next.contains("\\")
        || next.chars().anyMatch(c -> c < 0x20)) {
      return "/";
    }
    return next;
  }
}
