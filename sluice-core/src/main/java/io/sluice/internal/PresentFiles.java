package io.sluice.internal;

import java.io.File;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
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

  // Paths of the default file system split at their last '/' without making a Path of their
  // parent and of their name: those two, for each of a million inputs, cost more than the lookup.
  private static final boolean SLASHES = FileSystems.getDefault().getSeparator().equals("/");

  private final ConcurrentHashMap<String, Directory> directories = new ConcurrentHashMap<>();
  // The directory of the last file asked for: the inputs of a fan-in share one.
  private volatile Directory last;

  /** Whether {@code file} exists: from its directory's listing once that directory was asked enough. */
  boolean exists(Path file) {
    if (file.getFileSystem() != FileSystems.getDefault()) {
      return Files.exists(file);
    }
    String text;
    int nameFrom;
    Directory directory;
    if (SLASHES) {
      text = file.toString();
      int slash = text.lastIndexOf('/');
      if (slash < 0 || slash == text.length() - 1) {
        return Files.exists(file);  // no parent (a relative name), or the root itself
      }
      nameFrom = slash + 1;
      directory = directory(text, slash == 0 ? 1 : slash);
    } else {
      Path dir = file.getParent();
      Path name = file.getFileName();
      if (dir == null || name == null) {
        return Files.exists(file);
      }
      text = name.toString();
      nameFrom = 0;
      String dirText = dir.toString();
      directory = directory(dirText, dirText.length());
    }
    return directory.lists(text, nameFrom) || Files.exists(file);
  }

  /** The directory whose path is the first {@code length} characters of {@code text}. */
  private Directory directory(String text, int length) {
    Directory cached = last;
    if (cached != null && cached.path.length() == length && text.startsWith(cached.path)) {
      return cached;
    }
    Directory directory = directories.computeIfAbsent(text.substring(0, length), Directory::new);
    last = directory;
    return directory;
  }

  /** Hands the listings made to {@code leftovers}, which would otherwise list those directories again. */
  void sweepListed(Leftovers leftovers) {
    directories.forEach((dir, directory) -> {
      String[] table = directory.table;
      if (table != null && table != Directory.UNLISTABLE) {
        leftovers.sweep(OutputTransaction.key(Path.of(dir)), Arrays.stream(table).filter(Objects::nonNull)
            .toArray(String[]::new));
      }
    });
  }

  /**
   * One directory: how often it was asked for, and its names once listed, in a table of open
   * addressing (linear probing, at most half full) keyed by the names' own hash codes. Sorted
   * names and a binary search cost twenty string comparisons a lookup, and the sort, at a million
   * names, more than the rest of the graph's check of its inputs.
   */
  private static final class Directory {
    static final String[] UNLISTABLE = new String[1];

    final String path;
    private final AtomicInteger asked = new AtomicInteger();
    private volatile String[] table;

    Directory(String path) {
      this.path = path;
    }

    /** Whether the listing holds {@code text} from {@code from} on; false while not listed. */
    boolean lists(String text, int from) {
      String[] names = table();
      if (names == null) {
        return false;
      }
      int hash = hash(text, from);
      int length = text.length() - from;
      int mask = names.length - 1;
      for (int i = slot(hash, mask); ; i = (i + 1) & mask) {
        String name = names[i];
        if (name == null) {
          return false;
        }
        if (name.hashCode() == hash && name.length() == length && text.startsWith(name, from)) {
          return true;
        }
      }
    }

    /** The table of names, listing them on the {@link #LIST_FROM}-th call; null before. */
    private String[] table() {
      String[] listed = table;
      if (listed != null || asked.incrementAndGet() < LIST_FROM) {
        return listed;
      }
      synchronized (this) {
        if (table == null) {
          // Names as strings in an array: a set of 100,000 would hold twice the memory.
          String[] read = new File(path).list();
          table = read == null ? UNLISTABLE : tableOf(read);
        }
        return table;
      }
    }

    private static String[] tableOf(String[] names) {
      int size = Integer.highestOneBit(Math.max(1, names.length) * 2 - 1) * 2;
      String[] table = new String[size];
      int mask = size - 1;
      for (String name : names) {
        int i = slot(name.hashCode(), mask);
        while (table[i] != null) {
          i = (i + 1) & mask;
        }
        table[i] = name;
      }
      return table;
    }

    /** {@link String#hashCode} of the characters of {@code text} from {@code from} on, without a copy. */
    static int hash(String text, int from) {
      int hash = 0;
      for (int i = from, n = text.length(); i < n; i++) {
        hash = 31 * hash + text.charAt(i);
      }
      return hash;
    }

    /**
     * The first slot to try: the top bits of the hash times the golden ratio. Names that differ in
     * their last characters (part-1, part-2, ...) have nearby hashes, which the low bits would
     * place in long runs of taken slots.
     */
    private static int slot(int hash, int mask) {
      return ((hash * 0x9E3779B9) >>> Integer.numberOfLeadingZeros(mask)) & mask;
    }
  }
}
