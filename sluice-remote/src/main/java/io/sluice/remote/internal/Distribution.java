package io.sluice.remote.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipFile;
import io.sluice.remote.spi.RemoteCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Sluice runtime a remote command runs with: the caller's own version. A jar holding Sluice
 * is copied once, by content hash, to {@code .sluice/dist/<hash>/}; library jars of the caller's
 * classpath come along; class directories do not (they are the caller's code, and the remote
 * side must run the snapshot's code), except Sluice's own module directories in a development
 * build. A copy that no longer hashes to its name is copied again before it is handed on.
 */
public final class Distribution {

  private static final Logger LOG = LoggerFactory.getLogger(Distribution.class);

  private static final String[] SLUICE_CLASSES = {
    "io/sluice/Task.class", "io/sluice/cli/Cli.class", "io/sluice/remote/RemoteRun.class"
  };

  /**
   * A class of each of Sluice's other modules, as a directory of a development build holds it
   * (under {@code mvn test}, the reactor's modules are their {@code target/classes}): without
   * them, a remote {@code sluice run} in a project with history would miss sluice-history.
   * Jars are told by {@link #SLUICE_CLASSES} alone, so the distribution's jars travel as before.
   */
  private static final String[] MODULE_CLASSES = {
    "io/sluice/history/HistoryRecorder.class", "io/sluice/server/ApiRoutes.class",
    "io/sluice/slurm/SlurmBackend.class", "io/sluice/domino/DominoApi.class"
  };

  private Distribution() {}

  /** The classpath entries for the remote side, from this process's classpath. */
  public static List<Path> current(Path distDir) throws IOException {
    return of(System.getProperty("java.class.path", ""), distDir);
  }

  /** The classpath entries for the remote side, from {@code classPath} (entries joined as in {@code java.class.path}). */
  static List<Path> of(String classPath, Path distDir) throws IOException {
    List<Path> entries = new ArrayList<>();
    for (String part : classPath.split(File.pathSeparator)) {
      if (part.isBlank()) {
        continue;
      }
      Path path = Path.of(part).toAbsolutePath();
      if (Files.isDirectory(path)) {
        if (holdsSluice(path)) {
          entries.add(path);
        }
      } else if (Files.isRegularFile(path) && part.endsWith(".jar")) {
        entries.add(jarHoldsSluice(path) ? versioned(path, distDir) : path);
      }
    }
    return entries;
  }

  /**
   * The command as the remote side runs it: a first word ending in {@code .java} is a
   * single-file pipeline run by Java's source launcher from the snapshot; {@code sluice} is
   * the Sluice command; anything else runs as it is.
   */
  public static List<String> command(List<String> command, List<Path> runtime, List<String> javaOptions) {
    return RemoteCommand.argv(command, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        runtime.stream().map(Path::toString).toList(), javaOptions);
  }

  private static boolean holdsSluice(Path directory) {
    for (String[] names : new String[][] {SLUICE_CLASSES, MODULE_CLASSES}) {
      for (String name : names) {
        if (Files.exists(directory.resolve(name))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean jarHoldsSluice(Path jar) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (String name : SLUICE_CLASSES) {
        if (zip.getEntry(name) != null) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The shared copy of a Sluice jar, named by its content hash. Remote commands have the copy on
   * their classpath and, as root, can change it, so it is reused only while it still hashes to
   * that content, and copied again (read only) otherwise.
   */
  static Path versioned(Path jar, Path distDir) throws IOException {
    String hash = sha256(jar);
    Path target = distDir.resolve(hash.substring(0, 16)).resolve(jar.getFileName().toString());
    if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && sha256(target).equals(hash)) {
      return target;
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      LOG.warn("Copying {} to {} again: the copy there no longer has the content it was made with", jar, target);
    }
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), ".copy-", ".jar");
    Files.copy(jar, temp, StandardCopyOption.REPLACE_EXISTING);
    CacheManifest.sealFiles(temp);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      byte[] buffer = new byte[1 << 16];
      while (in.read(buffer) >= 0) {
        // digesting
      }
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
