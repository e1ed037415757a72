package io.sluice.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns strings into paths with an error that says what to do when the JVM cannot encode them.
 * On Linux the JVM encodes file names in the charset of the process locale
 * ({@code sun.jnu.encoding}), fixed at startup: with no locale set (cron, {@code env -i},
 * minimal containers) it is ASCII and every non-ASCII name fails.
 */
public final class FileNames {

  private FileNames() {}

  /** {@link Path#of(String, String...)}, failing with the fix when the name cannot be encoded. */
  public static Path of(String first, String... more) {
    try {
      return Path.of(first, more);
    } catch (InvalidPathException e) {
      throw unencodable(String.join("/", prepend(first, more)), e);
    }
  }

  /** {@code dir.resolve(name)}, failing with the fix when the name cannot be encoded. */
  public static Path resolve(Path dir, String name) {
    try {
      return dir.resolve(name);
    } catch (InvalidPathException e) {
      throw unencodable(name, e);
    }
  }

  /** The error for a path this JVM cannot encode: names the path and the fix. */
  public static IllegalArgumentException unencodable(String path, InvalidPathException cause) {
    String encoding = System.getProperty("sun.jnu.encoding", "unknown");
    // Shown escaped only: a name from a parameter may hold control characters a terminal obeys.
    String shown = escaped(path).equals(path) ? "'" + path + "'" : "'" + escaped(path) + "'";
    if (path.indexOf('\0') >= 0) {
      // No locale helps: no file system takes a NUL in a name.
      return new IllegalArgumentException("cannot use the path " + shown + ": a file name cannot hold a NUL"
          + " character (\\u0000); where does it come from (a parameter?)", cause);
    }
    return new IllegalArgumentException("cannot use the path " + shown + ": this JVM encodes file names in "
        + encoding + " (sun.jnu.encoding, taken from the process locale at startup), which cannot represent it ("
        + cause.getReason() + "). Start the JVM with a UTF-8 locale, e.g. LC_ALL=C.UTF-8 in its environment"
        + " (bin/sluice sets it when no UTF-8 locale is set; under cron, set it in the crontab);"
        + " -Dsun.jnu.encoding on the command line does not change it", cause);
  }

  /** The path with non-ASCII characters as {@code \\uXXXX}, readable on any terminal. */
  static String escaped(String path) {
    StringBuilder out = new StringBuilder();
    path.chars().forEach(c -> {
      if (c >= 0x20 && c < 0x7f) {
        out.append((char) c);
      } else {
        out.append(String.format("\\u%04x", c));
      }
    });
    return out.toString();
  }

  private static String[] prepend(String first, String[] more) {
    String[] all = new String[more.length + 1];
    all[0] = first;
    System.arraycopy(more, 0, all, 1, more.length);
    return all;
  }
}
