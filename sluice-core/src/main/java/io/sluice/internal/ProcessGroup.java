package io.sluice.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A process started in a session of its own ({@code setsid}), so that it and everything it starts,
 * grandchildren and daemons included, end together: {@link #kill()} sends SIGTERM to every process
 * of the session, then SIGKILL to what is left after {@link #GRACE}. The session is also handed to
 * the JVM's {@link Watchdog}, which ends it if this JVM dies first, even by SIGKILL.
 *
 * <p>A session rather than a process group, because programs make groups of their own inside it:
 * {@code timeout} does, and so does any shell with job control. Where {@code setsid} or
 * {@code /proc} is missing (not Linux), the group falls back to the process's descendants.
 */
public final class ProcessGroup implements AutoCloseable {

  /** How long the processes of a group get between SIGTERM and SIGKILL. */
  public static final Duration GRACE = Duration.ofSeconds(2);

  private static final Optional<Path> SETSID = findSetsid();
  private static final Path PROC = Path.of("/proc");
  /** Whether processes start in sessions of their own, found again through {@code /proc}. */
  private static final boolean SESSIONS = SETSID.isPresent() && Files.isReadable(PROC.resolve("self/stat"));
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  /** Runs the command ({@code "$@"}) once a line arrives on stdin; exits at end of file. */
  static final String GO_AHEAD = "read -r go || exit 0; exec \"$@\"";

  private final Process process;
  private final boolean ownSession;

  private ProcessGroup(Process process, boolean ownSession) {
    this.process = process;
    this.ownSession = ownSession;
  }

  /**
   * Starts the builder's command in a session of its own (the builder is left as it was).
   *
   * @throws IOException when the command cannot start, as {@link ProcessBuilder#start()}
   */
  public static ProcessGroup start(ProcessBuilder builder) throws IOException {
    if (!SESSIONS) {
      return new ProcessGroup(builder.start(), false);
    }
    // The watchdog first (it starts on first use): the process must not come before its guard.
    Watchdog watchdog = Watchdog.shared();
    // Where its stdin is ours, the process waits for a go-ahead line before it runs the command,
    // sent once the watchdog holds it: if this JVM dies in between, it reads end of file and exits.
    boolean gated = builder.redirectInput() == ProcessBuilder.Redirect.PIPE;
    requireExecutable(builder);
    Process process = spawn(builder, gated ? List.of("/bin/sh", "-c", GO_AHEAD, "sluice-start") : List.of());
    watchdog.add(process.pid());
    if (gated) {
      try {
        process.getOutputStream().write('\n');
        process.getOutputStream().flush();
      } catch (IOException gone) {
        // it died before running the command: its exit code tells
      }
    }
    return new ProcessGroup(process, true);
  }

  /** Starts a process in a session of its own where {@code setsid} exists, unguarded: for the watchdog. */
  static Process startDetached(ProcessBuilder builder) throws IOException {
    return SETSID.isPresent() ? spawn(builder, List.of()) : builder.start();
  }

  /** Starts {@code setsid PREFIX... COMMAND...}, leaving the builder as it was. */
  private static Process spawn(ProcessBuilder builder, List<String> prefix) throws IOException {
    List<String> command = builder.command();
    List<String> wrapped = new ArrayList<>(1 + prefix.size() + command.size());
    wrapped.add(SETSID.get().toString());
    wrapped.addAll(prefix);
    wrapped.addAll(command);
    builder.command(wrapped);
    try {
      return builder.start();
    } finally {
      builder.command(command);
    }
  }

  public Process process() {
    return process;
  }

  /** The session's id: the pid of the process started, which leads it. */
  public long id() {
    return process.pid();
  }

  /**
   * Ends every process of the group, politely then by force; returns once none is left, at most
   * about {@link #GRACE} later. Safe to call again, and after the process has exited (it ends what
   * the process left running).
   */
  public void kill() {
    boolean interrupted = Thread.interrupted();
    try {
      signal(false);
      long deadline = System.nanoTime() + GRACE.toNanos();
      while (!members().isEmpty() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(POLL_NANOS);
      }
      if (!members().isEmpty()) {
        signal(true);
        long killed = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (!members().isEmpty() && System.nanoTime() < killed) {
          LockSupport.parkNanos(POLL_NANOS);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Ends what is left of the group and forgets it: the watchdog no longer needs to guard it. */
  @Override
  public void close() {
    kill();
    if (ownSession) {
      Watchdog.shared().remove(id());
    }
  }

  private void signal(boolean force) {
    // The leader itself, by its handle: it may not have entered its session yet.
    List<ProcessHandle> targets = new ArrayList<>(members());
    targets.add(process.toHandle());
    for (ProcessHandle handle : targets) {
      if (force) {
        handle.destroyForcibly();
      } else {
        handle.destroy();
      }
    }
  }

  /** The live processes of the group, the leader included. */
  private List<ProcessHandle> members() {
    if (!ownSession) {
      List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
      if (process.isAlive()) {
        tree.add(process.toHandle());
      }
      return tree;
    }
    List<ProcessHandle> members = new ArrayList<>();
    String session = Long.toString(id());
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, ProcessGroup::isPid)) {
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

  /**
   * Fails as {@link ProcessBuilder#start()} would for a program that does not exist: behind
   * {@code setsid} it would start, and only {@code setsid} would fail.
   */
  private static void requireExecutable(ProcessBuilder builder) throws IOException {
    String program = builder.command().get(0);
    Path directory = builder.directory() == null ? Path.of("") : builder.directory().toPath();
    if (program.contains("/")) {
      if (Files.isExecutable(directory.resolve(program))) {
        return;
      }
    } else {
      String path = builder.environment().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
      for (String dir : path.split(":")) {
        if (Files.isExecutable(directory.resolve(dir.isEmpty() ? "." : dir).resolve(program))) {
          return;
        }
      }
    }
    throw new IOException("Cannot run program \"" + program + "\""
        + (builder.directory() == null ? "" : " (in directory \"" + builder.directory() + "\")")
        + ": error=2, No such file or directory");
  }

  private static boolean isPid(Path entry) {
    String name = entry.getFileName().toString();
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }

  private static Optional<Path> findSetsid() {
    for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
      Path path = Path.of(candidate);
      if (Files.isExecutable(path)) {
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }
}
