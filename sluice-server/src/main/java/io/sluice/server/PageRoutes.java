package io.sluice.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pages: plain HTML and small scripts from the jar, read (and gzipped) once. A page is a shell
 * its script fills from the API, writing every value from the history as text, never as markup.
 * A page names its scripts and styles with their version ({@code /static/run.js?v=HASH}), and a
 * file asked for by its current version is kept by the browser for good ({@code immutable}): a
 * browser that opens page after page fetches them once. The pages themselves, and files asked
 * for without their version, must be asked again ({@code no-cache}) and have an ETag, so an
 * unchanged one goes back as a bodiless 304.
 */
final class PageRoutes {

  private static final String ROOT = "/io/sluice/server/web/";
  /** Scripts and styles first: the pages name them by their versions. */
  private static final List<String> FILES = List.of("app.css", "common.js", "runs.js", "run.js", "task.js",
      "graph.js", "timeline.js", "now.js", "openapi.json", "schedules.js", "runs.html", "run.html", "task.html",
      "now.html", "schedules.html");
  /** A year, as long as HTTP caches keep anything: a versioned file never changes. */
  private static final String FOR_GOOD = "public, max-age=31536000, immutable";

  /** A file of the pages as it is and gzipped, with its ETags and version (its content's hash). */
  private record PageFile(byte[] bytes, byte[] gzipped, EntityTag.Tags tags, String version) {
    static PageFile of(byte[] bytes) {
      EntityTag.Tags tags = EntityTag.Tags.of(bytes);
      return new PageFile(bytes, JsonAnswer.gzip(bytes), tags, tags.identity().replace("\"", ""));
    }
  }

  private final Map<String, PageFile> files = new HashMap<>();

  PageRoutes() {
    for (String name : FILES) {
      try (InputStream in = PageRoutes.class.getResourceAsStream(ROOT + name)) {
        if (in == null) {
          throw new IllegalStateException("The page file " + ROOT + name + " is missing from the server's jar");
        }
        byte[] bytes = in.readAllBytes();
        files.put(name, PageFile.of(name.endsWith(".html") ? versioned(bytes) : bytes));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The page with each {@code "/static/NAME"} it names made {@code "/static/NAME?v=VERSION"}. */
  private byte[] versioned(byte[] page) {
    String text = new String(page, StandardCharsets.UTF_8);
    for (Map.Entry<String, PageFile> file : files.entrySet()) {
      text = text.replace("\"/static/" + file.getKey() + "\"",
          "\"/static/" + file.getKey() + "?v=" + file.getValue().version() + "\"");
    }
    return text.getBytes(StandardCharsets.UTF_8);
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
    PageFile file = files.get(name);
    ctx.contentType(contentType(name));
    // An old version asked for (by a page kept from before an upgrade) gets today's file, to be asked again.
    ctx.header("Cache-Control", file.version().equals(ctx.queryParam("v")) ? FOR_GOOD : "no-cache");
    // Pages hold no inline script: the policy blocks any that a value could smuggle in.
    ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'");
    ctx.header("X-Content-Type-Options", "nosniff");
    boolean worthGzip = file.bytes().length >= JsonAnswer.GZIP_FROM_BYTES;
    boolean gzip = worthGzip && JsonAnswer.takesGzip(ctx.header("Accept-Encoding"));
    if (worthGzip) {
      ctx.header("Vary", "Accept-Encoding");
    }
    String tag = file.tags().tag(gzip);
    ctx.header("ETag", tag);
    if (EntityTag.matches(ctx.header("If-None-Match"), tag)) {
      ctx.status(304);
      return;
    }
    if (gzip) {
      ctx.header("Content-Encoding", "gzip");
      ctx.result(file.gzipped());
    } else {
      ctx.result(file.bytes());
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
