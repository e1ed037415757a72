package io.sluice.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.sluice.server.security.RequestGuard;
import java.util.Map;

/** Puts the {@link RequestGuard} in front of every request, and gives the pages their anti-forgery token. */
final class SecurityRoutes {

  private final RequestGuard guard;

  SecurityRoutes(RequestGuard guard) {
    this.guard = guard;
  }

  void register(JavalinConfig config) {
    var routes = config.routes;
    routes.before(this::check);
    routes.get("/api/session", ctx -> ApiRoutes.json(ctx, Map.of("csrfToken", guard.csrfToken(), "csrfHeader",
        RequestGuard.CSRF_HEADER)));
  }

  private void check(Context ctx) {
    String given = ctx.queryParam("token");
    if (given != null && guard.isToken(given) && ctx.method().name().equals("GET")) {
      // The token moves from the address (history, logs) to a cookie that scripts cannot read.
      ctx.header("Set-Cookie", RequestGuard.TOKEN_COOKIE + "=" + given + "; Path=/; HttpOnly; SameSite=Strict");
      ctx.redirect(ctx.path(), HttpStatus.SEE_OTHER);
      ctx.skipRemainingHandlers();
      return;
    }
    guard.check(new RequestGuard.Request() {
      @Override
      public String method() {
        return ctx.method().name();
      }

      @Override
      public String header(String name) {
        return ctx.header(name);
      }

      @Override
      public String cookie(String name) {
        return ctx.cookie(name);
      }

      @Override
      public String origin() {
        return ctx.scheme() + "://" + ctx.host();
      }
    }).ifPresent(refusal -> {
      throw new ApiException(refusal.status(), refusal.message());
    });
  }
}
