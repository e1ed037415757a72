package io.sluice.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
 *
 * <p>A later set of checks can take the listings of an earlier one (the graph's, for the run-time
 * check of a task's inputs) for directories that did not change since: a directory's status
 * change time moves with every name added, removed or renamed in it, so one status of the
 * directory answers for a million names listed again. A listing is only taken again when its
 * directory had last changed clearly before it was made (by more than the clock's tick, or than
 * two seconds where the file system keeps whole seconds), on a local file system: otherwise a
 * name deleted just after the listing could leave that time as it was.
 *
 * <p>The checks of a run's first graph (made before any of its tasks writes) take a listing's
 * word for the names it lacks too ({@link #ofFirstGraph}): the listing is the directory as it was
 * at one moment of the build, as a check file by file is at another, and a file written by another
 * run after it is found by the check each task makes under its lock before it runs. A cold graph
 * of 100,000 outputs in one directory then costs one listing, not 100,000 system calls.
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
  private final PresentFiles earlier;
  // Whether a name a listing lacks is missing, without asking for it (see ofFirstGraph).
  private final boolean listingsFinal;
  private final AtomicInteger listings = new AtomicInteger();

  /** Where a file was found that no listing held: the file system was asked. */
  static final Object ASKED = new Object();

  PresentFiles() {
    this(null);
  }

  /** Checks that take the listings of {@code earlier} (may be null) whose directories did not change since. */
  PresentFiles(PresentFiles earlier) {
    this(earlier, false);
  }

  private PresentFiles(PresentFiles earlier, boolean listingsFinal) {
    this.earlier = earlier;
    this.listingsFinal = listingsFinal;
  }

  /**
   * Checks for the first graph of a run, built before any of its tasks writes: a name missing
   * from its directory's listing is missing, and a directory that does not exist holds nothing.
   * Checks made while tasks write (dynamic requirements, the run-time check of inputs) must not
   * be these: a file a task of the run wrote after the listing would be missed.
   */
  static PresentFiles ofFirstGraph() {
    return new PresentFiles(null, true);
  }

  /** Whether {@code file} exists: from its directory's listing once that directory was asked enough. */
  boolean exists(Path file) {
    return where(file) != null;
  }

  /**
   * Where {@code file} was found: the listing that holds it (which {@link #stillListed} recognises
   * in later checks), {@link #ASKED} when the file system was asked, null when it is missing.
   */
  Object where(Path file) {
    if (file.getFileSystem() != FileSystems.getDefault()) {
      return Files.exists(file) ? ASKED : null;
    }
    String text;
    int nameFrom;
    Directory directory;
    if (SLASHES) {
      text = file.toString();
      int slash = text.lastIndexOf('/');
      if (slash < 0 || slash == text.length() - 1) {
        return Files.exists(file) ? ASKED : null;  // no parent (a relative name), or the root itself
      }
      nameFrom = slash + 1;
      directory = directory(text, slash == 0 ? 1 : slash);
    } else {
      Path dir = file.getParent();
      Path name = file.getFileName();
      if (dir == null || name == null) {
        return Files.exists(file) ? ASKED : null;
      }
      text = name.toString();
      nameFrom = 0;
      String dirText = dir.toString();
      directory = directory(dirText, dirText.length());
    }
    Listing names = directory.listing();
    if (names != null && names.holds(text, nameFrom)) {
      return directory;
    }
    if (names != null && listingsFinal && names != Listing.NONE) {
      return null;
    }
    return Files.exists(file) ? ASKED : null;
  }

  /**
   * Whether a file found by {@link #where} of the earlier checks these take listings from is
   * found in the same listing by these: its directory is unchanged since it was listed, so the
   * file is still there, without asking for it again.
   */
  boolean stillListed(Object where) {
    return where instanceof Directory listed && directory(listed.path, listed.path.length()) == listed;
  }

  /** The directory whose path is the first {@code length} characters of {@code text}. */
  private Directory directory(String text, int length) {
    Directory cached = last;
    if (cached != null && cached.path.length() == length && text.startsWith(cached.path)) {
      return cached;
    }
    Directory directory = directories.computeIfAbsent(text.substring(0, length), this::newDirectory);
    last = directory;
    return directory;
  }

  private Directory newDirectory(String path) {
    Directory before = earlier == null ? null : earlier.directories.get(path);
    return before != null && before.unchangedSinceListed() ? before : new Directory(path, listings);
  }

  /** How many directories these checks listed themselves. */
  int listings() {
    return listings.get();
  }

  /** Hands the listings made to {@code leftovers}, which would otherwise list those directories again. */
  void sweepListed(Leftovers leftovers) {
    directories.forEach((dir, directory) -> {
      Listing listing = directory.listing;
      if (listing != null && listing != Listing.NONE) {
        leftovers.sweep(OutputTransaction.key(Path.of(dir)), listing.hidden());
      }
    });
  }

  /**
   * One directory: how often it was asked for, and its names once listed. Sorted names and a
   * binary search cost twenty string comparisons a lookup, and the sort, at a million names, more
   * than the rest of the graph's check of its inputs.
   */
  private static final class Directory {
    final String path;
    private final AtomicInteger listings;
    private final AtomicInteger asked = new AtomicInteger();
    private volatile Listing listing;
    // The directory as it was when listed, or null when its listing may not be taken again.
    private volatile Stamp listedAs;

    Directory(String path, AtomicInteger listings) {
      this.path = path;
      this.listings = listings;
    }

    /** Whether it was listed, and no name was added, removed or renamed in it since. */
    boolean unchangedSinceListed() {
      Stamp stamp = listedAs;
      return listing != null && stamp != null && stamp.equals(Stamp.read(path));
    }

    /**
     * The names, listing them on the {@link #LIST_FROM}-th call; null before. A directory that
     * does not exist holds no names; {@link Listing#NONE} when it could not be listed otherwise.
     */
    Listing listing() {
      Listing listed = listing;
      if (listed != null || asked.incrementAndGet() < LIST_FROM) {
        return listed;
      }
      synchronized (this) {
        if (listing == null) {
          // Read before the listing: a change while it lists moves the time past the one kept.
          Stamp stamp = Stamp.read(path);
          // The file system stamps from the kernel's real-time clock, which this reads too.
          Instant at = Instant.now();
          String[] read = new File(path).list();
          listings.incrementAndGet();
          listedAs = stamp != null && stamp.settledBefore(at) ? stamp : null;
          listing = read != null ? new Listing(read) : Files.notExists(Path.of(path)) ? Listing.EMPTY : Listing.NONE;
        }
        return listing;
      }
    }
  }

  /**
   * A directory's names, their characters one after the other in a single array (each name's
   * length, then its characters), found through a table of open addressing (linear probing, at
   * most half full) whose slots hold a name's hash and where its characters start. A table of the
   * listed strings cost a read of a string from elsewhere in the heap at each probe, and of its
   * bytes from elsewhere again: two cache misses or more a lookup, against two here.
   */
  private static final class Listing {
    /** A directory that could not be listed (unreadable, or not a directory): every name is asked for. */
    static final Listing NONE = new Listing(new String[0]);
    /** A directory that does not exist. */
    static final Listing EMPTY = new Listing(new String[0]);

    // Per slot: the name's hash in the high half, the index of its length in chars plus one in
    // the low half; 0 for an empty slot.
    private final long[] slots;
    private final char[] chars;

    Listing(String[] names) {
      int size = Integer.highestOneBit(Math.max(1, names.length) * 2 - 1) * 2;
      long total = 0;
      for (String name : names) {
        total += 1 + name.length();
      }
      if (total >= Integer.MAX_VALUE) {
        throw new IllegalStateException("a directory of " + names.length + " names is too large to list");
      }
      slots = new long[size];
      chars = new char[(int) total];
      int mask = size - 1;
      int at = 0;
      for (String name : names) {
        int hash = name.hashCode();
        int i = slot(hash, mask);
        while (slots[i] != 0) {
          i = (i + 1) & mask;
        }
        slots[i] = (long) hash << 32 | (at + 1);
        // A name of the file system is at most 255 bytes: its length fits in a char.
        chars[at++] = (char) name.length();
        name.getChars(0, name.length(), chars, at);
        at += name.length();
      }
    }

    /** Whether {@code text} from {@code from} on is one of the names. */
    boolean holds(String text, int from) {
      int hash = hash(text, from);
      int length = text.length() - from;
      int mask = slots.length - 1;
      for (int i = slot(hash, mask); ; i = (i + 1) & mask) {
        long entry = slots[i];
        if (entry == 0) {
          return false;
        }
        if ((int) (entry >>> 32) == hash) {
          int at = (int) entry - 1;
          if (chars[at] == length && sameChars(text, from, at + 1, length)) {
            return true;
          }
        }
      }
    }

    private boolean sameChars(String text, int from, int at, int length) {
      for (int k = 0; k < length; k++) {
        if (chars[at + k] != text.charAt(from + k)) {
          return false;
        }
      }
      return true;
    }

    /** The names that begin with a dot, the only ones a temporary file of a run can have. */
    String[] hidden() {
      java.util.List<String> hidden = new java.util.ArrayList<>();
      for (int at = 0; at < chars.length; at += 1 + chars[at]) {
        if (chars[at] > 0 && chars[at + 1] == '.') {
          hidden.add(new String(chars, at + 1, chars[at]));
        }
      }
      return hidden.toArray(new String[0]);
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

  /** A directory's identity and status change time, read in one status call. */
  private record Stamp(Object device, Object inode, FileTime changed) {
    /** Finer file systems stamp to the nanosecond; within it, the kernel's clock ticks in 1-10 ms. */
    private static final Duration FINE_MARGIN = Duration.ofMillis(100);
    /** Coarser ones (ext3's small inodes, FAT) keep whole seconds, or two. */
    private static final Duration COARSE_MARGIN = Duration.ofMillis(2100);

    /** The stamp of the directory at {@code path}, or null when it has none to trust. */
    static Stamp read(String path) {
      try {
        Path dir = Path.of(path);
        // A network file system's client may show a cached status while another machine deletes.
        if (!OtherProcesses.LOCAL_FILE_SYSTEMS.contains(Files.getFileStore(dir).type())) {
          return null;
        }
        Map<String, Object> status = Files.readAttributes(dir, "unix:dev,ino,ctime");
        return new Stamp(status.get("dev"), status.get("ino"), (FileTime) status.get("ctime"));
      } catch (IOException | RuntimeException e) {
        return null;  // gone, or a file system without such times: listed again when asked for
      }
    }

    /**
     * Whether its last change was clearly before {@code listing}, so that any change after the
     * listing gets a later time: a change within the same tick of the clock could keep the same.
     */
    boolean settledBefore(Instant listing) {
      Instant time = changed.toInstant();
      Duration margin = time.getNano() % 1_000_000 != 0 ? FINE_MARGIN : COARSE_MARGIN;
      return time.isBefore(listing.minus(margin));
    }
  }
}
