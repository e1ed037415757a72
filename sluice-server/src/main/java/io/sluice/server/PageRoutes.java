package io.sluice.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pages: plain HTML and small scripts from the jar, read once. A page is a shell its script
 * fills from the API, writing every value from the history as text, never as markup.
 */
final class PageRoutes {

  private static final String ROOT = "/io/sluice/server/web/";
  private static final List<String> FILES = List.of("runs.html", "run.html", "task.html", "app.css", "common.js",
      "runs.js", "run.js", "task.js", "graph.js", "timeline.js", "now.html", "now.js", "openapi.json",
      "schedules.html", "schedules.js");

  private final Map<String, byte[]> files = new HashMap<>();

  PageRoutes() {
    for (String name : FILES) {
      try (InputStream in = PageRoutes.class.getResourceAsStream(ROOT + name)) {
        if (in == null) {
          throw new IllegalStateException("The page file " + ROOT + name + " is missing from the server's jar");
        }
        files.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  void register(JavalinConfig config) {
    var routes = config.routes;
    routes.get("/", ctx -> serve(ctx, "runs.html"));
    routes.get("/now", ctx -> serve(ctx, "now.html"));
    routes.get("/runs/{run}", ctx -> serve(ctx, "run.html"));
    routes.get("/runs/{run}/tasks/{task}", ctx -> serve(ctx, "task.html"));
    routes.get("/schedules", ctx -> serve(ctx, "schedules.html"));
    routes.get("/static/{file}", ctx -> {
      String name = ctx.pathParam("file");
      if (!files.containsKey(name) || name.endsWith(".html")) {
        throw new ApiException(404, "No file " + name);
      }
      serve(ctx, name);
    });
    routes.get("/api/openapi.json", ctx -> serve(ctx, "openapi.json"));
  }

  private void serve(Context ctx, String name) {
    ctx.contentType(contentType(name));
    ctx.header("Cache-Control", "no-cache");
    // Pages hold no inline script: the policy blocks any that a value could smuggle in.
    ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.result(files.get(name));
  }

  private static String contentType(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    } else if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    } else if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    return "application/json";
  }
}
