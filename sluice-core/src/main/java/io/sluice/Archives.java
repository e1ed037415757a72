package io.sluice;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
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
 * reader unpacks it. Unpacking refuses any entry that would land outside the destination.
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

  /**
   * Unpacks {@code archive} into {@code destination} (created if missing). Entries are first
   * unpacked into a temporary sibling directory, which replaces nothing until every entry is
   * checked: an entry whose path is absolute or climbs out with {@code ..} fails the whole
   * unpacking and writes nothing.
   *
   * @throws UnsafeArchiveException naming the offending entry
   */
  public static void unpack(Path archive, Path destination) throws IOException {
    Path dest = destination.toAbsolutePath().normalize();
    Path staging = Files.createTempDirectory(dest.getParent() == null ? Path.of(".") : ensure(dest.getParent()),
        "." + dest.getFileName() + ".unpack-");
    try {
      try (InputStream in = Files.newInputStream(archive); ZipInputStream zip = new ZipInputStream(in)) {
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
          Path target = safeResolve(staging, entry.getName(), archive);
          if (entry.isDirectory()) {
            Files.createDirectories(target);
          } else {
            Files.createDirectories(target.getParent());
            try (OutputStream out = Files.newOutputStream(target)) {
              zip.transferTo(out);
            }
          }
        }
      }
      Files.createDirectories(dest);
      try (Stream<Path> paths = Files.walk(staging)) {
        for (Path source : paths.sorted().toList()) {
          Path target = dest.resolve(staging.relativize(source).toString());
          if (Files.isDirectory(source)) {
            Files.createDirectories(target);
          } else {
            Files.move(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
          }
        }
      }
    } finally {
      deleteTree(staging);
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
    Path target = root.resolve(normalizedName).normalize();
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
  public static final class UnsafeArchiveException extends IOException {
    public UnsafeArchiveException(String message) {
      super(message);
    }
  }
}
