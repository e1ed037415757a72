package io.sluice.server;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The ETag of an answer, and whether a browser's {@code If-None-Match} holds it: a browser that
 * has an answer asks again with its tag, and an unchanged answer goes back as a bodiless 304.
 * The tag is a hash of the answer's bytes, so an answer computed again to the same bytes (a run
 * that did not move in a second) keeps its tag.
 */
final class EntityTag {

  private EntityTag() {}

  /** The tags of {@code bytes} as they are and gzipped: the two representations differ in bytes, so in tag (RFC 9110, 8.8.3). */
  record Tags(String identity, String gzip) {
    static Tags of(byte[] bytes) {
      try {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
        return new Tags("\"" + hash + "\"", "\"" + hash + "-gzip\"");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("Every Java has SHA-256", e);
      }
    }

    String tag(boolean gzipped) {
      return gzipped ? gzip : identity;
    }
  }

  /** Whether {@code ifNoneMatch} (a list of tags, weak or strong, or {@code *}) names {@code etag}. */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    if (ifNoneMatch.equals(etag)) {
      return true;  // the usual case: the one tag the browser kept
    }
    for (String tag : ifNoneMatch.split(",")) {
      String given = tag.trim();
      if (given.startsWith("W/")) {
        given = given.substring(2);  // If-None-Match compares weakly (RFC 9110, 13.1.2)
      }
      if (given.equals("*") || given.equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
