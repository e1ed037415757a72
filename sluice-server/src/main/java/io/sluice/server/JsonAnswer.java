package io.sluice.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * An answer written as JSON once for many requests, and gzipped once for the clients that take
 * gzip (every browser): twenty viewers of a run cost the server one serialisation and one
 * compression of each answer, not twenty. It has an ETag: a browser that has it already gets a
 * bodiless 304.
 */
final class JsonAnswer {

  /** Smaller answers go as they are: a gzip header and a round trip of work would not pay. */
  static final int GZIP_FROM_BYTES = 1024;

  private final byte[] json;
  private volatile byte[] gzipped;
  private volatile EntityTag.Tags tags;

  private JsonAnswer(byte[] json) {
    this.json = json;
  }

  /** The answer {@code value} is, written as JSON now. */
  static JsonAnswer of(Object value) {
    return new JsonAnswer(ApiRoutes.toJson(value));
  }

  byte[] json() {
    return json;
  }

  /**
   * Sends it, gzipped when the client takes gzip and it is worth it (Javalin compresses nothing:
   * every answer comes here), or a bodiless 304 when the client's {@code If-None-Match} holds its tag.
   * The client must ask again each time ({@code no-cache}): a running run's answers change.
   */
  void send(Context ctx) {
    ctx.contentType("application/json");
    ctx.header("Cache-Control", "no-cache");
    boolean gzip = json.length >= GZIP_FROM_BYTES && takesGzip(ctx.header("Accept-Encoding"));
    if (json.length >= GZIP_FROM_BYTES) {
      ctx.header("Vary", "Accept-Encoding");
    }
    String tag = tags().tag(gzip);
    ctx.header("ETag", tag);
    if (ctx.method() == HandlerType.GET && ctx.statusCode() == 200
        && EntityTag.matches(ctx.header("If-None-Match"), tag)) {
      ctx.status(304);
      return;
    }
    if (gzip) {
      ctx.header("Content-Encoding", "gzip");
      ctx.result(gzipped());
    } else {
      ctx.result(json);
    }
  }

  private EntityTag.Tags tags() {
    EntityTag.Tags kept = tags;
    if (kept == null) {
      kept = EntityTag.Tags.of(json);
      tags = kept;
    }
    return kept;
  }

  /** Whether an {@code Accept-Encoding} header lists gzip without refusing it ({@code gzip;q=0}). */
  static boolean takesGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String coding : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
      String[] parts = coding.split(";");
      if (parts[0].trim().equals("gzip")) {
        return parts.length < 2 || !parts[1].replace(" ", "").matches("q=0(\\.0*)?");
      }
    }
    return false;
  }

  private byte[] gzipped() {
    byte[] kept = gzipped;
    if (kept == null) {
      kept = gzip(json);
      gzipped = kept;
    }
    return kept;
  }

  /** {@code data} gzipped. */
  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 4 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);  // in memory: cannot happen
    }
    return bytes.toByteArray();
  }
}
