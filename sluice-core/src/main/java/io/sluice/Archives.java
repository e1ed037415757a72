package io.sluice;

import io.sluice.internal.FileNames;
import io.sluice.internal.TempFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Directory outputs as one file: a task packs a directory into a zip archive target, and a
 * reader unpacks it. Unpacking refuses any entry that would land outside the destination, and any
 * archive that would unpack beyond its {@link Limits}.
 */
public final class Archives {

  private Archives() {}

  /** Packs every file under {@code dir} into {@code archive}, atomically, paths relative to dir. */
  public static void pack(Path dir, LocalTarget archive) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("cannot pack " + dir + ": not a directory");
    }
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          files.add(file);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    files.sort(Comparator.naturalOrder());
    try (ZipOutputStream zip = new ZipOutputStream(archive.openOutputStream())) {
      for (Path file : files) {
        ZipEntry entry = new ZipEntry(dir.relativize(file).toString().replace('\\', '/'));
        entry.setTime(Files.getLastModifiedTime(file).toMillis());
        zip.putNextEntry(entry);
        Files.copy(file, zip);
        zip.closeEntry();
      }
    }
  }

  /** Unpacks {@code archive} into {@code destination} within the {@linkplain Limits#defaults() default limits}. */
  public static void unpack(Path archive, Path destination) throws IOException {
    unpack(archive, destination, Limits.defaults());
  }

  /**
   * Unpacks {@code archive} into {@code destination} (created if missing). Entries are first
   * unpacked into a temporary sibling directory, and nothing in the destination changes until
   * every entry was read and checked: an entry whose path is absolute or climbs out with
   * {@code ..}, a destination path that goes through a symbolic link, or an archive that
   * unpacks beyond {@code limits} fails the whole unpacking and writes nothing there. Sizes are
   * counted as the bytes are inflated, never taken from the archive's headers.
   *
   * @throws UnsafeArchiveException naming the offending entry (an {@link ArchiveLimitException}
   *     when a limit was passed, naming the limit and how to raise it)
   */
  public static void unpack(Path archive, Path destination, Limits limits) throws IOException {
    Path dest = destination.toAbsolutePath().normalize();
    Path parent = dest.getParent() == null ? Path.of(".").toAbsolutePath() : ensure(dest.getParent());
    Path staging = Files.createTempDirectory(parent,
        "." + TempFiles.truncateUtf8(dest.getFileName() == null ? "root" : dest.getFileName().toString(), 200)
            + ".unpack-");
    try {
      extract(archive, staging, limits);
      List<Path> sources;
      try (Stream<Path> paths = Files.walk(staging)) {
        sources = paths.filter(p -> !p.equals(staging)).sorted().toList();
      }
      // Files first: their paths are the entries' names, which the error quotes.
      for (boolean directories : new boolean[] {false, true}) {
        for (Path source : sources) {
          if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS) == directories) {
            refuseLinksOnTheWay(dest, staging.relativize(source), directories, archive);
          }
        }
      }
      Files.createDirectories(dest);
      for (Path source : sources) {
        Path target = dest.resolve(staging.relativize(source).toString());
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else {
          Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
      }
    } finally {
      deleteTree(staging);
    }
  }

  private static void extract(Path archive, Path staging, Limits limits) throws IOException {
    long total = 0;
    int entries = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(archive); CountingZipInputStream zip = new CountingZipInputStream(in)) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        entries++;
        if (entries > limits.maxEntries()) {
          throw new ArchiveLimitException(archive, entry.getName(), "has more than " + limits.maxEntries()
              + " entries", "maxEntries", "withMaxEntries(" + limits.maxEntries() * 10L + ")");
        }
        Path target = safeResolve(staging, entry.getName(), archive);
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        long entryBytes = 0;
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
          int n;
          while ((n = zip.read(buffer)) > 0) {
            entryBytes += n;
            total += n;
            if (total > limits.maxTotalBytes()) {
              throw new ArchiveLimitException(archive, entry.getName(), "unpacks to more than "
                  + limits.maxTotalBytes() + " bytes in all", "maxTotalBytes",
                  "withMaxTotalBytes(" + limits.maxTotalBytes() * 4 + ")");
            }
            long compressed = Math.max(1, zip.compressedBytesOfEntry());
            if (entry.getMethod() == ZipEntry.DEFLATED && entryBytes > Limits.RATIO_GRACE_BYTES
                && entryBytes > compressed * limits.maxRatio()) {
              throw new ArchiveLimitException(archive, entry.getName(), "expands more than " + limits.maxRatio()
                  + " times its compressed size (" + entryBytes + " bytes from " + compressed + " so far)",
                  "maxRatio", "withMaxRatio(" + limits.maxRatio() * 10L + ")");
            }
            out.write(buffer, 0, n);
          }
        }
      }
    }
  }

  /**
   * Fails when a path the entry would be moved through already exists in the destination as a
   * symbolic link (it could lead anywhere), or as a file where a directory is needed.
   */
  private static void refuseLinksOnTheWay(Path dest, Path relative, boolean isDirectory, Path archive)
      throws UnsafeArchiveException {
    Path current = dest;
    int count = relative.getNameCount();
    for (int i = 0; i < count; i++) {
      current = current.resolve(relative.getName(i).toString());
      if (Files.isSymbolicLink(current)) {
        throw new UnsafeArchiveException("archive " + archive + " has entry '" + relative.toString().replace('\\', '/')
            + "' but " + current + " in the destination is a symbolic link; unpacking through it could write"
            + " outside the destination, so nothing was unpacked. Remove the link or unpack elsewhere");
      }
      boolean needsDirectory = i < count - 1 || isDirectory;
      if (needsDirectory && Files.exists(current, LinkOption.NOFOLLOW_LINKS)
          && !Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        throw new UnsafeArchiveException("archive " + archive + " has entry '" + relative.toString().replace('\\', '/')
            + "' but " + current + " in the destination is a file, not a directory; nothing was unpacked");
      }
    }
  }

  private static Path ensure(Path dir) throws IOException {
    Files.createDirectories(dir);
    return dir;
  }

  private static Path safeResolve(Path root, String name, Path archive) throws UnsafeArchiveException {
    String normalizedName = name.replace('\\', '/');
    if (normalizedName.startsWith("/") || normalizedName.matches("^[A-Za-z]:.*")) {
      throw new UnsafeArchiveException("archive " + archive + " has entry '" + name
          + "' with an absolute path; refusing to unpack it");
    }
    Path target = FileNames.resolve(root, normalizedName).normalize();
    if (!target.startsWith(root)) {
      throw new UnsafeArchiveException("archive " + archive + " has entry '" + name
          + "' that would land outside the destination; refusing to unpack it");
    }
    return target;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** An archive with an entry that would escape its destination. */
  public static class UnsafeArchiveException extends IOException {
    public UnsafeArchiveException(String message) {
      super(message);
    }
  }

  /** An archive that would unpack beyond a {@link Limits limit}: a zip bomb, or a limit too low. */
  public static final class ArchiveLimitException extends UnsafeArchiveException {
    ArchiveLimitException(Path archive, String entry, String what, String limit, String raise) {
      super("archive " + archive + " " + what + " (at entry '" + entry + "'), past the limit " + limit
          + "; nothing was unpacked. If the archive is trusted, raise it: Archives.unpack(archive, destination,"
          + " Archives.Limits.defaults()." + raise + ")");
    }
  }

  /**
   * How far {@link #unpack(Path, Path, Limits)} lets an archive expand. Defaults
   * ({@link #defaults()}): 4 GiB in all, 100,000 entries, and no entry inflating more than 100
   * times its compressed size once past 1 MiB (ordinary data rarely passes 20; a zip bomb of
   * zeros reaches 1000).
   *
   * @param maxTotalBytes the most bytes all entries may unpack to, counted as they are inflated
   * @param maxEntries the most entries, directories included
   * @param maxRatio the most an entry may expand (uncompressed bytes per compressed byte)
   */
  public record Limits(long maxTotalBytes, int maxEntries, int maxRatio) {

    /** Entries are not held to the ratio until they have unpacked this much. */
    static final long RATIO_GRACE_BYTES = 1 << 20;

    public Limits {
      if (maxTotalBytes < 1) {
        throw new IllegalArgumentException("maxTotalBytes is " + maxTotalBytes + "; it must be 1 or more");
      }
      if (maxEntries < 1) {
        throw new IllegalArgumentException("maxEntries is " + maxEntries + "; it must be 1 or more");
      }
      if (maxRatio < 1) {
        throw new IllegalArgumentException("maxRatio is " + maxRatio + "; it must be 1 or more");
      }
    }

    /** 4 GiB in all, 100,000 entries, a ratio of 100. */
    public static Limits defaults() {
      return new Limits(4L << 30, 100_000, 100);
    }

    public Limits withMaxTotalBytes(long maxTotalBytes) {
      return new Limits(maxTotalBytes, maxEntries, maxRatio);
    }

    public Limits withMaxEntries(int maxEntries) {
      return new Limits(maxTotalBytes, maxEntries, maxRatio);
    }

    public Limits withMaxRatio(int maxRatio) {
      return new Limits(maxTotalBytes, maxEntries, maxRatio);
    }
  }

  /** Tells how many compressed bytes the current entry has consumed so far. */
  private static final class CountingZipInputStream extends ZipInputStream {
    CountingZipInputStream(InputStream in) {
      super(in);
    }

    /** Bytes the inflater consumed for the current entry (it is reset at each entry). */
    long compressedBytesOfEntry() {
      return inf.getBytesRead();
    }
  }
}
