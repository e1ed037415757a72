package io.sluice.history.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Loads the SQLite driver's native library from a copy kept in the user's own cache directory
 * instead of letting the driver extract it afresh: on every start the driver writes its 1.1 MB
 * library to a new temporary file, reads it back and compares it with the jar's byte by byte,
 * about 0.1 CPU second of a run's start. The copy is made once per driver version (written to a
 * temporary file, then renamed into place), and the driver's probe of which of its libraries fits
 * the platform is made once per platform ({@link #platformFolder}). It is code this process will load, so it is kept
 * where only its user can write ({@code $XDG_CACHE_HOME/sluice}, else {@code ~/.cache/sluice}:
 * never beside a history that may be shared) and trusted only when it and its directories are
 * the user's, writable by no one else, and its size is the jar's.
 */
final class SqliteNativeLibrary {

  private static final Logger LOG = LoggerFactory.getLogger(SqliteNativeLibrary.class);
  /** The driver loads its library once per JVM and keeps it: so is this done once, like the driver's own flag. */
  private static final AtomicBoolean LOADED = new AtomicBoolean();
  /** The driver's settings for where its library is: set only while it loads, then restored. */
  private static final String[] PROPERTIES = {"org.sqlite.lib.path", "org.sqlite.lib.name", "org.sqlite.tmpdir"};

  private SqliteNativeLibrary() {}

  /** The user's cache directory for Sluice: {@code $XDG_CACHE_HOME/sluice}, else {@code ~/.cache/sluice}. */
  static Path userCache() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
        ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("sluice");
  }

  /**
   * Loads the library from {@code directory}/sqlite-native (copying it there first when missing),
   * unless it is loaded already or the user told the driver where it is. Any failure, or a copy
   * someone else could have written, leaves the driver to load it its own way.
   */
  static void loadKeepingACopyIn(Path directory) {
    if (System.getProperty(PROPERTIES[0]) != null || !LOADED.compareAndSet(false, true)) {
      return;
    }
    try {
      Path copy = copyIn(directory);
      if (copy != null) {
        load(copy.getParent(), copy.getFileName().toString());
      }
    } catch (Exception | LinkageError e) {
      LOG.debug("The SQLite native library could not be loaded from a copy in {}; the driver extracts its own",
          directory, e);
    }
  }

  /**
   * The copy of this platform's library in {@code directory}/sqlite-native, made when it is
   * missing or not whole; null when the jar has no library for this platform, or when the copy
   * or a directory holding it is not the user's alone.
   */
  static Path copyIn(Path directory) throws IOException {
    String name = LibraryLoaderUtil.getNativeLibName();
    Path natives = directory.resolve("sqlite-native");
    createPrivately(natives);
    String folder = platformFolder(natives, name);
    URL resource = folder == null ? null : SQLiteJDBCLoader.class.getResource(folder + "/" + name);
    if (resource == null) {
      return null;  // the driver says so itself, better than this could
    }
    Path copyDir = natives
        .resolve(SQLiteJDBCLoader.getVersion() + folder.replace("/org/sqlite/native", "").replace('/', '-'));
    Path copy = copyDir.resolve(name);
    createPrivately(copyDir);
    long size = resource.openConnection().getContentLengthLong();  // the jar entry's size, nothing inflated
    if (size <= 0 || !Files.isRegularFile(copy, LinkOption.NOFOLLOW_LINKS) || Files.size(copy) != size) {
      copy(resource, copyDir, copy);
    }
    for (Path path = copy; path != null && path.startsWith(directory); path = path.getParent()) {
      if (!ownedAndWritableByTheUserAlone(path)) {
        LOG.warn("Not loading the SQLite library kept in {}: {} may be written by someone else; remove it,"
            + " or make it yours alone (chmod go-w)", copyDir, path);
        return null;
      }
    }
    return copy;
  }

  /**
   * The jar's folder of this platform's library, as the driver names it, or null when the jar has
   * none. The driver finds it by probing the system (it starts {@code uname -o} and reads the
   * links of every file the process maps, to tell Android and musl from other Linux systems), a
   * few hundredths of a CPU second on each start; so its answer is kept in {@code natives}, under
   * a name made of what it depends on and can change between two starts of the same user: the
   * driver's version, the JVM (its directory and version, which are built for one C library) and
   * the system's name and kind. A kept answer naming no library of the jar is asked again.
   */
  static String platformFolder(Path natives, String name) throws IOException {
    String key = String.join("\n", "sqlite-jdbc " + SQLiteJDBCLoader.getVersion(),
        System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.home"),
        System.getProperty("java.vm.version"), System.getProperty("java.runtime.name", ""), systemId());
    // The whole key is in the file and compared: its name's hash only spreads the keys.
    Path memo = natives.resolve("platform-" + Integer.toHexString(key.hashCode()));
    if (Files.isRegularFile(memo, LinkOption.NOFOLLOW_LINKS) && ownedAndWritableByTheUserAlone(memo)) {
      List<String> lines = Files.readAllLines(memo, StandardCharsets.UTF_8);
      String folder = lines.isEmpty() ? null : lines.get(lines.size() - 1);
      if (String.join("\n", lines).equals(key + "\n" + folder) && folder.startsWith("/org/sqlite/native/")
          && SQLiteJDBCLoader.class.getResource(folder + "/" + name) != null) {
        return folder;
      }
    }
    String folder = LibraryLoaderUtil.getNativeLibResourcePath();
    if (SQLiteJDBCLoader.class.getResource(folder + "/" + name) == null) {
      return null;
    }
    Path partial = Files.createTempFile(natives, memo.getFileName().toString(), ".partial");
    try {
      Files.writeString(partial, key + "\n" + folder, StandardCharsets.UTF_8);
      Files.move(partial, memo, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
    return folder;
  }

  /** The system's kind from {@code /etc/os-release} (its {@code ID}: alpine, debian...), or "" without one. */
  private static String systemId() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"), StandardCharsets.UTF_8)) {
        if (line.startsWith("ID=")) {
          return line;
        }
      }
    } catch (IOException | SecurityException e) {
      // none, or not readable: the other parts of the key tell
    }
    return "";
  }

  /** Creates the directories missing on the way to {@code dir}, each readable and writable by the user alone. */
  private static void createPrivately(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      createPrivately(parent);
    }
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException e) {
        // made meanwhile by another process: checked with the rest
      }
    } else {
      Files.createDirectories(dir);
    }
  }

  /** Whether {@code path} is no link, belongs to this process's user and no one else may write it. */
  static boolean ownedAndWritableByTheUserAlone(Path path) throws IOException {
    if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return true;  // no owners and modes to check: the user's home directory is the protection
    }
    PosixFileAttributes attributes =
        Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    Set<PosixFilePermission> modes = attributes.permissions();
    return !attributes.isSymbolicLink()
        && attributes.owner().getName().equals(System.getProperty("user.name"))
        && !modes.contains(PosixFilePermission.GROUP_WRITE)
        && !modes.contains(PosixFilePermission.OTHERS_WRITE);
  }

  private static void copy(URL resource, Path copyDir, Path copy) throws IOException {
    Files.createDirectories(copyDir);
    // A temporary file, then a rename: a process that loads the copy never sees half of it.
    Path partial = Files.createTempFile(copyDir, copy.getFileName().toString(), ".partial");
    try (InputStream in = resource.openStream()) {
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private static void load(Path copyDir, String name) throws Exception {
    synchronized (System.getProperties()) {
      String[] before = new String[PROPERTIES.length];
      for (int i = 0; i < PROPERTIES.length; i++) {
        before[i] = System.getProperty(PROPERTIES[i]);
      }
      try {
        System.setProperty(PROPERTIES[0], copyDir.toString());
        System.setProperty(PROPERTIES[1], name);
        // Its clean-up of stale extractions lists this directory, not the whole temporary one.
        System.setProperty(PROPERTIES[2], copyDir.toString());
        SQLiteJDBCLoader.initialize();
      } finally {
        for (int i = 0; i < PROPERTIES.length; i++) {
          if (before[i] == null) {
            System.clearProperty(PROPERTIES[i]);
          } else {
            System.setProperty(PROPERTIES[i], before[i]);
          }
        }
      }
    }
  }
}
