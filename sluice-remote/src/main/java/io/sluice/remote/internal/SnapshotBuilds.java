package io.sluice.remote.internal;

import io.sluice.SchedulingException;
import io.sluice.internal.ProcessGroup;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLockInterruptionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a snapshot once per commit, for remote {@code sluice ...} commands whose tasks are
 * compiled code: the build command ({@code [remote] build}) runs in {@code .sluice/builds/<commit>}
 * (a copy of the snapshot), and the classpath it produced ({@code [remote] build_classpath},
 * globs such as {@code "app/target/lib/*"}) goes on the remote command's classpath. The remote
 * side thus runs the classes of the snapshot's commit, never those of the caller's build.
 *
 * <p>One build per commit at a time across processes: the builder holds a lock on
 * {@code .sluice/builds/.<commit>.lock} (the kernel drops it when the builder dies), and whoever
 * takes the lock next removes the {@code .<commit>.building-*} directories a dead builder left.
 * The build command runs in a process group of its own, ended with the run or its JVM.
 *
 * <p>A remote command reaches the build through its classpath and, as root, can change it; so a
 * finished build is sealed with a {@link CacheManifest} ({@code .sluice/builds/<commit>.manifest})
 * before it is moved into place, and checked against it the first time a run uses the commit: a
 * build that differs, or that has no manifest, is removed and built again under the lock. The
 * full check hashes the whole build, so it runs once per run and commit; later remote runs of the
 * run compare a {@link CacheManifest#stamp} (no content read) and hash again only when it changed.
 */
final class SnapshotBuilds {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotBuilds.class);
  private static final String DONE = ".sluice-build-done";

  private final Path buildsDir;
  private final List<String> command;
  private final List<String> classpath;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  /** The {@link CacheManifest#stamp} of each build this run built or checked, by commit. */
  private final Map<String, String> checked = new ConcurrentHashMap<>();

  SnapshotBuilds(Path buildsDir, List<String> command, List<String> classpath) {
    this.buildsDir = buildsDir;
    this.command = List.copyOf(command);
    this.classpath = List.copyOf(classpath);
  }

  /** The classpath entries built from the snapshot of {@code commit}, building it the first time. */
  List<Path> classpath(String commit, Path snapshot) throws IOException, InterruptedException {
    Path build = buildsDir.resolve(commit);
    synchronized (locks.computeIfAbsent(commit, c -> new Object())) {
      // Stamped before the check: a change made while the check reads the files shows next time.
      String stamp = CacheManifest.stamp(build);
      if (stamp == null || !stamp.equals(checked.get(commit))) {
        if (unusable(build) != null) {
          stamp = buildUnderLock(commit, snapshot, build);
        }
        if (stamp == null) {
          checked.remove(commit);
        } else {
          checked.put(commit, stamp);
        }
      }
    }
    List<Path> entries = new ArrayList<>();
    for (String pattern : classpath) {
      if (pattern.endsWith("/*")) {
        Path dir = build.resolve(pattern.substring(0, pattern.length() - 2));
        if (Files.isDirectory(dir)) {
          try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
            List<Path> sorted = new ArrayList<>();
            jars.forEach(sorted::add);
            sorted.sort(null);
            entries.addAll(sorted);
          }
        }
      } else {
        entries.add(build.resolve(pattern));
      }
    }
    return entries;
  }

  /**
   * Takes the commit's build lock, waiting while another process builds it; closing the channel
   * releases it. Interrupting the thread ends the wait ({@link FileChannel} is interruptible).
   */
  private FileChannel lock(String commit) throws IOException, InterruptedException {
    Files.createDirectories(buildsDir);
    Path file = buildsDir.resolve("." + commit + ".lock");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      if (channel.tryLock() == null) {
        LOG.info("Waiting for another process building the snapshot of commit {} (lock {})",
            commit.substring(0, 12), file);
        channel.lock();
      }
      return channel;
    } catch (FileLockInterruptionException | ClosedByInterruptException e) {
      channel.close();
      throw new InterruptedException("interrupted while waiting for the build lock " + file);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Builds the commit unless another process (re)built it meanwhile, holding the commit's lock;
   * returns the stamp of the build as checked or made, or null when there is none.
   */
  private String buildUnderLock(String commit, Path snapshot, Path build) throws IOException, InterruptedException {
    try (FileChannel locked = lock(commit)) {
      removeLeftovers(commit);
      String stamp = CacheManifest.stamp(build);
      String why = unusable(build);
      if (why == null) {
        return stamp;
      }
      if (Files.exists(build, LinkOption.NOFOLLOW_LINKS)) {
        LOG.warn("Building the snapshot of commit {} again: its build {} cannot be reused, {}",
            commit.substring(0, 12), build, why);
      }
      return build(commit, snapshot, build);
    }
  }

  /** Why the build cannot be reused (missing, unfinished, or changed since it was made), or null. */
  private static String unusable(Path build) {
    if (!Files.isDirectory(build, LinkOption.NOFOLLOW_LINKS) || !Files.exists(build.resolve(DONE), LinkOption.NOFOLLOW_LINKS)) {
      return "it is not finished";
    }
    return CacheManifest.mismatch(build, CacheManifest.fileFor(build));
  }

  /** Removes the directories of builds of the commit whose process died (nobody else holds the lock). */
  private void removeLeftovers(String commit) throws IOException {
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(buildsDir, "." + commit + ".building-*")) {
      for (Path leftover : leftovers) {
        LOG.info("Removing {}, left by a build whose process died", leftover);
        RunFiles.deleteTree(leftover);
      }
    }
  }

  /** Builds the commit and moves the sealed build into place; returns its stamp (null: unknown). */
  private String build(String commit, Path snapshot, Path build) throws IOException, InterruptedException {
    if (Files.exists(build, LinkOption.NOFOLLOW_LINKS)) {
      RunFiles.deleteTree(build);
    }
    Files.createDirectories(build.getParent());
    Path temp = Files.createTempDirectory(build.getParent(), "." + commit + ".building-");
    RunFiles.copyTree(snapshot, temp);
    Path log = build.getParent().resolve(commit + ".build.log");
    LOG.info("Building the snapshot of commit {} once: {} (log: {})", commit.substring(0, 12), String.join(" ", command), log);
    int exit;
    try (ProcessGroup process = ProcessGroup.start(new ProcessBuilder(command).directory(temp.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()))) {
      exit = process.process().waitFor();
    } catch (InterruptedException e) {
      RunFiles.deleteTree(temp);
      throw e;
    }
    if (exit != 0) {
      RunFiles.deleteTree(temp);
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      throw new SchedulingException("Building the snapshot of commit " + commit + " with '" + String.join(" ", command)
          + "' failed with exit code " + exit + "; last lines of " + log + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
    }
    Files.writeString(temp.resolve(DONE), commit + "\n");
    CacheManifest.sealFiles(temp);
    Path manifest = CacheManifest.fileFor(build);
    CacheManifest.write(temp, manifest);
    // Stamped while no run knows the directory; renaming it changes none of the stamped entries.
    String stamp = CacheManifest.stamp(temp);
    try {
      Files.move(temp, build, StandardCopyOption.ATOMIC_MOVE);
      return stamp;
    } catch (IOException e) {
      // Another process put a build there without the lock (Linux says "Directory not empty", not
      // always as DirectoryNotEmptyException): keep it only if it is this very build.
      if (!Files.exists(build, LinkOption.NOFOLLOW_LINKS)) {
        RunFiles.deleteTree(temp);
        throw e;
      }
      if (CacheManifest.matches(build, manifest)) {
        RunFiles.deleteTree(temp);
        return null;
      }
      LOG.warn("Replacing the build {} of commit {}, put there meanwhile without the build lock and without a"
          + " matching manifest", build, commit.substring(0, 12));
      RunFiles.deleteTree(build);
      Files.move(temp, build, StandardCopyOption.ATOMIC_MOVE);
      return stamp;
    }
  }
}
