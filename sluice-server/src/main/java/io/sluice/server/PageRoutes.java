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
 * The pages: plain HTML and small scripts from the jar, read (and gzipped) once. A page is a shell
 * its script fills from the API, writing every value from the history as text, never as markup.
 * Each file has an ETag, so a browser that opens page after page asks whether its copy is still
 * good (it must ask: {@code no-cache}) and gets a bodiless 304 rather than the file again.
 */
final class PageRoutes {

  private static final String ROOT = "/io/sluice/server/web/";
  private static final List<String> FILES = List.of("runs.html", "run.html", "task.html", "app.css", "common.js",
      "runs.js", "run.js", "task.js", "graph.js", "timeline.js", "now.html", "now.js", "openapi.json",
      "schedules.html", "schedules.js");

  /** A file of the pages as it is and gzipped, with its ETag (its content's hash). */
  private record PageFile(byte[] bytes, byte[] gzipped, String etag) {}

  private final Map<String, PageFile> files = new HashMap<>();

  PageRoutes() {
    for (String name : FILES) {
      try (InputStream in = PageRoutes.class.getResourceAsStream(ROOT + name)) {
        if (in == null) {
          throw new IllegalStateException("The page file " + ROOT + name + " is missing from the server's jar");
        }
        byte[] bytes = in.readAllBytes();
        files.put(name, new PageFile(bytes, JsonAnswer.gzip(bytes), etag(bytes)));
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
    PageFile file = files.get(name);
    ctx.header("ETag", file.etag());
    if (file.etag().equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    if (file.bytes().length >= JsonAnswer.GZIP_FROM_BYTES && JsonAnswer.takesGzip(ctx.header("Accept-Encoding"))) {
      ctx.header("Content-Encoding", "gzip");
      ctx.header("Vary", "Accept-Encoding");
      ctx.result(file.gzipped());
    } else {
      ctx.result(file.bytes());
    }
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + java.util.HexFormat.of().formatHex(hash, 0, 12) + "\"";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java has SHA-256", e);
    }
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
