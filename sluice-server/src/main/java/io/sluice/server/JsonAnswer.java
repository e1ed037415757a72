package io.sluice.server;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * An answer written as JSON once for many requests, and gzipped once for the clients that take
 * gzip (every browser): twenty viewers of a run cost the server one serialisation and one
 * compression of each answer, not twenty.
 */
final class JsonAnswer {

  /** Smaller answers go as they are: a gzip header and a round trip of work would not pay. */
  static final int GZIP_FROM_BYTES = 1024;

  private final byte[] json;
  private volatile byte[] gzipped;

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

  /** Sends it, gzipped when the client takes gzip and it is worth it (the server's own compression then stands aside). */
  void send(Context ctx) {
    ctx.contentType("application/json");
    if (json.length >= GZIP_FROM_BYTES && takesGzip(ctx.header("Accept-Encoding"))) {
      ctx.header("Content-Encoding", "gzip");
      ctx.header("Vary", "Accept-Encoding");
      ctx.result(gzipped());
    } else {
      ctx.result(json);
    }
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
