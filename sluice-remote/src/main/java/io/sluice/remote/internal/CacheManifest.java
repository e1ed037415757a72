package io.sluice.remote.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a shared cache directory (an exported snapshot, a snapshot build) held when it was made:
 * every entry with its kind, mode and SHA-256. Runs can reach the shared files (workspaces
 * hard-link a snapshot's, a remote command's classpath points into a build), and file modes do
 * not stop root, so a run can change them; the cache is checked against its manifest before
 * each reuse and made again when it differs.
 */
final class CacheManifest {

  private CacheManifest() {}

  /** The manifest of a cache directory, kept beside it (never inside: runs see the inside). */
  static Path fileFor(Path dir) {
    return dir.resolveSibling(dir.getFileName() + ".manifest");
  }

  /**
   * Takes the write bits off every regular file: workspaces hard-link them, and a command of
   * another user than root then cannot edit the shared copy in place (it may still replace it).
   */
  static void sealFiles(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
        Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        permissions.removeAll(Set.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE));
        Files.setPosixFilePermissions(path, permissions);
      }
    }
  }

  /** Writes the manifest of {@code dir} to {@code manifest}, atomically. */
  static void write(Path dir, Path manifest) throws IOException {
    Path temp = manifest.resolveSibling("." + manifest.getFileName() + ".tmp");
    Files.writeString(temp, describe(dir), StandardCharsets.UTF_8);
    Files.move(temp, manifest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Whether {@code dir} holds exactly what its manifest says; false without a manifest. */
  static boolean matches(Path dir, Path manifest) {
    return mismatch(dir, manifest) == null;
  }

  /**
   * Why {@code dir} does not hold what its manifest says (for a log line: the first entry that
   * differs), or null when it does.
   */
  static String mismatch(Path dir, Path manifest) {
    if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
      return "it has no manifest " + manifest + " (made before caches were checked, or not finished)";
    }
    try {
      List<String> expected = Files.readString(manifest, StandardCharsets.UTF_8).lines().toList();
      List<String> actual = describe(dir).lines().toList();
      if (expected.equals(actual)) {
        return null;
      }
      for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
        String was = i < expected.size() ? expected.get(i) : null;
        String is = i < actual.size() ? actual.get(i) : null;
        if (!Objects.equals(was, is)) {
          return "it no longer matches its manifest " + manifest + " (made: " + (was == null ? "nothing more" : was)
              + "; now: " + (is == null ? "nothing more" : is) + ")";
        }
      }
      return "it no longer matches its manifest " + manifest;
    } catch (IOException | UncheckedIOException e) {
      return "it cannot be read against its manifest " + manifest + ": " + e.getMessage();
    }
  }

  /**
   * A cheap fingerprint of {@code dir}, reading no content: every entry's name, size, inode and
   * change time. Any write, chmod or rename changes an entry's change time, which, unlike the
   * modification time, a command cannot set back (short of setting the system clock); so an
   * unchanged stamp means the contents a full check found are still there. Null where the file
   * system has no such attributes.
   */
  static String stamp(Path dir) {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted().toList()) {
        if (path.equals(dir)) {
          continue;  // its own attributes change when it is renamed into place; its entries tell the rest
        }
        Map<String, Object> attributes = Files.readAttributes(path, "unix:size,ino,ctime", LinkOption.NOFOLLOW_LINKS);
        lines.add(dir.relativize(path) + " " + attributes.get("size") + " " + attributes.get("ino") + " "
            + attributes.get("ctime"));
      }
    } catch (IOException | UncheckedIOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
    return String.join("\n", lines);
  }

  private static String describe(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted().toList()) {
        if (path.equals(dir)) {
          continue;
        }
        String name = dir.relativize(path).toString();
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
          lines.add("l " + name + " -> " + Files.readSymbolicLink(path));
        } else if (attributes.isDirectory()) {
          lines.add("d " + name);
        } else if (attributes.isRegularFile()) {
          lines.add("f " + name + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(path,
              LinkOption.NOFOLLOW_LINKS)) + " " + sha256(path));
        } else {
          lines.add("? " + name);
        }
      }
    }
    return String.join("\n", lines) + "\n";
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      int read;
      while ((read = in.read(buffer)) > 0) {
        digest.update(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
