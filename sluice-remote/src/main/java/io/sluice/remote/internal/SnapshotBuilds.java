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
 */
final class SnapshotBuilds {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotBuilds.class);
  private static final String DONE = ".sluice-build-done";

  private final Path buildsDir;
  private final List<String> command;
  private final List<String> classpath;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  SnapshotBuilds(Path buildsDir, List<String> command, List<String> classpath) {
    this.buildsDir = buildsDir;
    this.command = List.copyOf(command);
    this.classpath = List.copyOf(classpath);
  }

  /** The classpath entries built from the snapshot of {@code commit}, building it the first time. */
  List<Path> classpath(String commit, Path snapshot) throws IOException, InterruptedException {
    Path build = buildsDir.resolve(commit);
    synchronized (locks.computeIfAbsent(commit, c -> new Object())) {
      if (!Files.exists(build.resolve(DONE))) {
        try (FileChannel locked = lock(commit)) {
          removeLeftovers(commit);
          if (!Files.exists(build.resolve(DONE))) {
            build(commit, snapshot, build);
          }
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

  /** Removes the directories of builds of the commit whose process died (nobody else holds the lock). */
  private void removeLeftovers(String commit) throws IOException {
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(buildsDir, "." + commit + ".building-*")) {
      for (Path leftover : leftovers) {
        LOG.info("Removing {}, left by a build whose process died", leftover);
        RunFiles.deleteTree(leftover);
      }
    }
  }

  private void build(String commit, Path snapshot, Path build) throws IOException, InterruptedException {
    if (Files.exists(build)) {
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
    try {
      Files.move(temp, build, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // Another process built the same commit meanwhile, and its build is as good: use it.
      RunFiles.deleteTree(temp);
      if (!Files.exists(build.resolve(DONE))) {
        throw e;
      }
    }
  }
}
