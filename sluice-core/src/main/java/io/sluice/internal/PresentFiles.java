package io.sluice.internal;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tells whether files exist, listing a directory once when many of them are asked for in it
 * instead of asking for the status of each: a task requiring 100,000 outputs of one directory
 * costs one listing, not 100,000 system calls. The first {@link #LIST_FROM} files of a directory
 * are asked for one by one, so that a few files of a large directory do not cost a listing of
 * it. A name the listing lacks is asked for again, so a file created since the listing is still
 * found; a name it has counts as present (a file deleted since the listing, or a symbolic link
 * dangling since, is taken as there). Safe for concurrent use.
 */
final class PresentFiles {

  /** Files of a directory asked for one by one before it is listed. */
  static final int LIST_FROM = 256;

  private static final String[] UNLISTABLE = new String[0];

  private final ConcurrentHashMap<Path, Directory> directories = new ConcurrentHashMap<>();

  /** Whether {@code file} exists: from its directory's listing once that directory was asked enough. */
  boolean exists(Path file) {
    Path dir = file.getParent();
    if (dir == null || file.getFileSystem() != FileSystems.getDefault()) {
      return Files.exists(file);
    }
    String[] names = directories.computeIfAbsent(dir, key -> new Directory()).names(dir);
    if (names != null && Arrays.binarySearch(names, file.getFileName().toString()) >= 0) {
      return true;
    }
    return Files.exists(file);
  }

  /** Hands the listings made to {@code leftovers}, which would otherwise list those directories again. */
  void sweepListed(Leftovers leftovers) {
    directories.forEach((dir, directory) -> {
      String[] names = directory.names;
      if (names != null && names != UNLISTABLE) {
        leftovers.sweep(OutputTransaction.key(dir), names);
      }
    });
  }

  /** One directory: how often it was asked for, and its names, sorted, once listed. */
  private static final class Directory {
    private final AtomicInteger asked = new AtomicInteger();
    private volatile String[] names;

    /** The sorted names, listing them on the {@link #LIST_FROM}-th call; null before. */
    String[] names(Path dir) {
      String[] listed = names;
      if (listed != null || asked.incrementAndGet() < LIST_FROM) {
        return listed;
      }
      synchronized (this) {
        if (names == null) {
          // Names as strings, sorted in place: a set of 100,000 would hold twice the memory.
          String[] read = dir.toFile().list();
          if (read != null) {
            Arrays.sort(read);
          }
          names = read == null ? UNLISTABLE : read;
        }
        return names;
      }
    }
  }
}
