package io.sluice.domino.emulator;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A run's command started in a session of its own ({@code setsid}), so that stopping the run ends
 * the command and everything it started, background processes and their own process groups
 * included: SIGTERM to every member, SIGKILL to what is left after a grace period. Without
 * {@code setsid} or {@code /proc} (not Linux) the session falls back to the process's descendants.
 */
final class ProcessSession {

  static final Duration GRACE = Duration.ofSeconds(2);
  private static final Path SETSID = Files.isExecutable(Path.of("/usr/bin/setsid"))
      ? Path.of("/usr/bin/setsid") : Path.of("/bin/setsid");
  private static final Path PROC = Path.of("/proc");
  private static final boolean SESSIONS = Files.isExecutable(SETSID) && Files.isReadable(PROC.resolve("self/stat"));

  private final Process process;

  private ProcessSession(Process process) {
    this.process = process;
  }

  /** Starts the builder's command, leading a new session where the platform allows. */
  static ProcessSession start(ProcessBuilder builder) throws IOException {
    if (!SESSIONS) {
      return new ProcessSession(builder.start());
    }
    List<String> command = builder.command();
    requireProgram(builder);
    List<String> wrapped = new ArrayList<>();
    wrapped.add(SETSID.toString());
    wrapped.addAll(command);
    try {
      return new ProcessSession(builder.command(wrapped).start());
    } finally {
      builder.command(command);
    }
  }

  Process process() {
    return process;
  }

  /** Ends every process of the session, politely then by force; safe to call again and after exit. */
  void kill() {
    signal(false);
    long deadline = System.nanoTime() + GRACE.toNanos();
    while (!members().isEmpty() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    if (!members().isEmpty()) {
      signal(true);
      long killed = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      while (!members().isEmpty() && System.nanoTime() < killed) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
    }
  }

  private void signal(boolean force) {
    List<ProcessHandle> targets = new ArrayList<>(members());
    targets.add(process.toHandle()); // the leader by its handle: it may not have entered its session yet
    for (ProcessHandle handle : targets) {
      if (force) {
        handle.destroyForcibly();
      } else {
        handle.destroy();
      }
    }
  }

  /** The live processes of the session, the leader included. */
  private List<ProcessHandle> members() {
    List<ProcessHandle> members = new ArrayList<>();
    if (!SESSIONS) {
      members.addAll(process.descendants().toList());
      if (process.isAlive()) {
        members.add(process.toHandle());
      }
      return members;
    }
    String session = Long.toString(process.pid());
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC,
        entry -> entry.getFileName().toString().chars().allMatch(Character::isDigit))) {
      for (Path entry : entries) {
        String stat;
        try {
          stat = Files.readString(entry.resolve("stat"));
        } catch (IOException gone) {
          continue;
        }
        // pid (comm) state ppid pgrp session ...; comm may hold spaces and parentheses
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 5);
        if (fields.length > 3 && fields[3].equals(session) && !fields[0].equals("Z")) {
          ProcessHandle.of(Long.parseLong(entry.getFileName().toString())).ifPresent(members::add);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + PROC + " to end session " + session + ": " + e.getMessage(), e);
    }
    return members;
  }

  /** Fails as ProcessBuilder would for a missing program: behind setsid it would seem to start. */
  private static void requireProgram(ProcessBuilder builder) throws IOException {
    String program = builder.command().get(0);
    Path directory = builder.directory() == null ? Path.of("") : builder.directory().toPath();
    if (program.contains("/")) {
      Path file = directory.resolve(program);
      if (Files.isExecutable(file)) {
        return;
      }
      if (Files.isRegularFile(file)) {
        throw new IOException("Cannot run program \"" + program + "\": the file is not executable (project files"
            + " keep no file modes: run it through its interpreter, e.g. [\"sh\", \"" + program + "\"])");
      }
    } else {
      String path = builder.environment().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
      for (String dir : path.split(":")) {
        if (Files.isExecutable(directory.resolve(dir.isEmpty() ? "." : dir).resolve(program))) {
          return;
        }
      }
    }
    throw new IOException("Cannot run program \"" + program + "\": no such executable file"
        + (program.contains("/") ? " in " + directory.toAbsolutePath() : " on the PATH"));
  }
}
