package io.sluice.domino;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/** URL encoding of the names that go into Domino's routes (owner, project, file paths). */
final class DominoPaths {

  private DominoPaths() {}

  /** One path segment, percent-encoded (a space as {@code %20}, not {@code +}). */
  static String segment(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A relative file path, each segment encoded, the slashes kept. */
  static String path(String relative) {
    return Arrays.stream(relative.split("/")).map(DominoPaths::segment).collect(Collectors.joining("/"));
  }

  /** A query parameter's value. */
  static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
