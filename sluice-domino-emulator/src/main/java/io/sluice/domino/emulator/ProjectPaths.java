package io.sluice.domino.emulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Paths of files inside a project: relative, '/'-separated, without '.' or '..' segments. */
final class ProjectPaths {

  private ProjectPaths() {}

  /** The project path of a file relative to a workspace or directory. */
  static String of(Path relative) {
    List<String> parts = new ArrayList<>();
    relative.forEach(part -> parts.add(part.toString()));
    return String.join("/", parts);
  }

  /**
   * The project path a request names, with empty segments dropped ("" is the project root).
   *
   * @throws ApiException (400) for a path with '..' or '.' segments or a NUL character
   */
  static String normalize(String requested) {
    String path = requested == null ? "" : requested;
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.equals("..") || part.equals(".") || part.indexOf('\0') >= 0) {
        throw new ApiException(400, "Invalid file path '" + requested
            + "': give a path relative to the project root, without '.' or '..' segments");
      }
      parts.add(part);
    }
    return String.join("/", parts);
  }
}
