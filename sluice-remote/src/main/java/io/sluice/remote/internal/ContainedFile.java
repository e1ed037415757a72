package io.sluice.remote.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Copies a run's output out of its workspace only when it is what the workspace made: a regular
 * file reached from the workspace through real directories, with no symbolic link on the way
 * and no second name (hard link). Anything else could make the caller copy a file of its own
 * machine into the project, so it is refused, and nothing is copied.
 */
final class ContainedFile {

  private ContainedFile() {}

  /** Thrown when the output exists but is not a plain file of the workspace. */
  static final class NotContainedException extends IOException {
    NotContainedException(String message) {
      super(message);
    }
  }

  /**
   * Copies {@code relative} (inside {@code workspace}) to {@code destination}.
   *
   * @return false when no file is there
   * @throws NotContainedException when what is there is not a regular file of the workspace
   */
  static boolean copy(Path workspace, String relative, Path destination) throws IOException {
    Path root = workspace.toAbsolutePath().normalize();
    Path target = root.resolve(relative).normalize();
    if (!target.startsWith(root) || target.equals(root)) {
      throw new NotContainedException("output " + relative + " leaves the workspace " + root);
    }
    BasicFileAttributes before = check(root, target, relative);
    if (before == null) {
      return false;
    }
    // NOFOLLOW_LINKS guards the last name against a swap to a link after the check; the parents
    // and the file itself are checked again after the copy.
    try (InputStream in = Files.newInputStream(target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        OutputStream out = Files.newOutputStream(destination)) {
      in.transferTo(out);
    } catch (IOException e) {
      Files.deleteIfExists(destination);
      throw new NotContainedException("output " + relative + " of the run cannot be read as a plain file: " + e);
    }
    BasicFileAttributes after = check(root, target, relative);
    if (after == null || !Objects.equals(before.fileKey(), after.fileKey())) {
      Files.deleteIfExists(destination);
      throw new NotContainedException("output " + relative + " of the run was replaced while it was being copied");
    }
    return true;
  }

  /** The file's attributes after checking every name from the workspace down; null when absent. */
  private static BasicFileAttributes check(Path root, Path target, String relative) throws IOException {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new NotContainedException("the run's workspace " + root + " is not a directory");
    }
    Path current = root;
    Path inside = root.relativize(target);
    for (int i = 0; i < inside.getNameCount(); i++) {
      current = current.resolve(inside.getName(i));
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (java.nio.file.NoSuchFileException e) {
        return null;
      }
      String where = root.relativize(current).toString();
      if (attributes.isSymbolicLink()) {
        throw new NotContainedException("output " + relative + " of the run is refused: " + where
            + " is a symbolic link (to " + Files.readSymbolicLink(current) + "); a remote run's output must be a"
            + " regular file inside its workspace. Write the file itself, not a link to it.");
      }
      if (i < inside.getNameCount() - 1) {
        if (!attributes.isDirectory()) {
          return null;  // a file where a directory should be: no such output
        }
        continue;
      }
      if (!attributes.isRegularFile()) {
        throw new NotContainedException("output " + relative + " of the run is refused: it is "
            + (attributes.isDirectory() ? "a directory" : "a special file (FIFO, socket or device)")
            + ", not a regular file. Write the output as a plain file (many files: an archive).");
      }
      if (linkCount(current) instanceof Integer count && count > 1) {
        throw new NotContainedException("output " + relative + " of the run is refused: it has " + count
            + " names (a hard link), so it may be a file from outside the workspace. Write a new file.");
      }
      return attributes;
    }
    return null;
  }

  private static Object linkCount(Path file) {
    try {
      return Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;  // no such attribute on this filesystem: the backend cannot tell
    }
  }
}
