package io.sluice.internal;

import io.sluice.LocalTarget;
import io.sluice.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outputs a failed attempt wrote straight to their place, around its transaction
 * ({@code Files.writeString(output().path(), ...)}, a program given the final path): left there,
 * a half-written file would count as done at the next run. The engine removes them, so that a
 * failed task leaves none of its outputs whichever way it wrote them.
 *
 * <p>Only for a task whose outputs were all missing when it was judged, and that no other run may
 * have made since (it held the task's lock all along): whatever of them is there, the attempt
 * wrote. A forced or out-of-date task's outputs, there before, are left as they are.
 */
final class DirectWrites {

  private static final Logger LOG = LoggerFactory.getLogger(DirectWrites.class);

  private DirectWrites() {}

  /** Removes the declared local outputs that are there (files or links, not directories). */
  static List<Path> remove(List<? extends Target> outputs) {
    List<Path> removed = new ArrayList<>();
    for (Target output : outputs) {
      if (!(output instanceof LocalTarget local)) {
        continue;
      }
      Path path = local.path();
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        continue;  // not there, or a name no file can have: nothing to remove
      }
      try {
        if (!attributes.isDirectory()) {
          Files.delete(path);
          removed.add(path);
        }
      } catch (NoSuchFileException e) {
        // gone already
      } catch (IOException e) {
        LOG.warn("Could not remove {}, written by a failed attempt around its transaction: {}", path, e.toString());
      }
    }
    return removed;
  }

  /**
   * The error to report for an attempt that failed with {@code error} after writing {@code removed}
   * straight to their places: an incomplete-outputs error says why the files it found were not
   * taken; any other keeps its own message, the removal is logged.
   */
  static Throwable explain(Throwable error, List<Path> removed, Object task) {
    String paths = removed.stream().map(Path::toString).collect(Collectors.joining(", "));
    String how = "write outputs through their targets (output().openWriter(), writeString(...), write(...),"
        + " or output().writePath() for a program), which put them in place whole once run() returns";
    if (error instanceof OutputTransaction.IncompleteOutputsException) {
      return new OutputTransaction.IncompleteOutputsException("run() wrote " + paths + " straight to "
          + (removed.size() == 1 ? "its place" : "their places") + ", around its transaction, where a reader could"
          + " find a file half written: removed; " + how);
    }
    LOG.warn("{} failed after writing {} straight to {} place: removed, so that no half-written output remains;"
        + " {}", task, paths, removed.size() == 1 ? "its" : "their", how);
    return error;
  }
}
