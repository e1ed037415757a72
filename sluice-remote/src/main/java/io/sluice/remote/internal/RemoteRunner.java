package io.sluice.remote.internal;

import io.sluice.RemoteRunDetails;
import io.sluice.RemoteRunDetails.Phase;
import io.sluice.RunScope;
import io.sluice.TaskContext;
import io.sluice.remote.RemoteRun;
import io.sluice.remote.Tier;
import io.sluice.remote.internal.InFlightRecords.InFlight;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one {@link RemoteRun}: snapshot, submit, follow its state and log, cancel on
 * interrupt, and fetch its output into the task's transaction.
 */
public final class RemoteRunner {

  private static final Logger LOG = LoggerFactory.getLogger("remote");
  private static final AtomicLong COUNTER = new AtomicLong();
  private static final long PID = ProcessHandle.current().pid();
  private static final Duration LOG_INTERVAL = Duration.ofMillis(200);
  static final int TAIL_LINES = 20;

  private RemoteRunner() {}

  public static void run(RemoteRun task, TaskContext context) throws Exception {
    RemoteSession session = RemoteSession.of(context);
    Tier tier = session.tiers().get(task.tierName());
    String commit = session.commit(task.commit());
    InFlightRecords records = session.inFlight();
    String key = InFlightRecords.key(session.backendName(), context.id().toString(), commit, session.workdir());
    RunHandle handle = reattach(task, context, session, tier, commit, records, key);
    boolean adopted = handle != null;
    if (!adopted) {
      handle = submit(task, context, session, tier, commit, records, key);
    }
    String where = session.backendName() + " run " + handle.id() + (adopted ? " re-attached" : "") + ", tier "
        + tier.name() + ", commit " + commit.substring(0, Math.min(12, commit.length()));
    if (tier.gpus() > 0 && !session.backend().hasGpus()) {
      where += " (no GPU on this machine: runs on the CPU)";
    }
    RemoteRunDetails details = new RemoteRunDetails(session.backendName(), handle.id(), tier.name(), commit,
        adopted ? Phase.REATTACHED : Phase.SUBMITTED);
    context.note((adopted ? "re-attached to an earlier submission, not submitted again" : "submitted")
        + " (" + where + ")", details);
    session.watch(handle);
    RunState state = null;
    try (LogTail tail = new LogTail(session, handle, context.logFile(), prefix(task, handle))) {
      try {
        while (state == null || !state.status().finished()) {
          RunState next = session.next(handle, LOG_INTERVAL);
          tail.drain();
          if (next != null) {
            state = next;
            if (next.status() == RunStatus.SUCCEEDED) {
              continue;
            }
            context.note(next.status().name().toLowerCase() + " (" + where + ")"
                + (next.reason().isEmpty() ? "" : ": " + next.reason()), details.at(phase(next.status())));
          }
        }
      } catch (InterruptedException e) {
        try {
          session.backend().cancel(handle);
          records.remove(key);
          context.note("cancelled (" + where + ")", details.at(Phase.CANCELLED));
        } catch (IOException cancelFailed) {
          // The record stays: the run may go on, and the next run re-attaches to it.
          // Still an interruption: a cluster that cannot be reached must not turn it into a failure.
          context.note("could not cancel (" + where + "): " + cancelFailed.getMessage());
        }
        throw e;
      } finally {
        session.unwatch(handle);
      }
      records.remove(key);  // over: whatever comes next, a new run starts afresh
      tail.drain();
      if (state.status() != RunStatus.SUCCEEDED) {
        throw new RemoteRunFailedException("remote run " + state.status().name().toLowerCase() + " (" + where + ")"
            + (state.exitCode() == null ? "" : ", exit code " + state.exitCode())
            + (state.reason().isEmpty() ? "" : ": " + state.reason())
            + (tail.lastLines().isEmpty() ? "; its log is empty" : "; last lines of its log:\n" + tail.lastLines()));
      }
    }
    Path temp = task.output().writePath();
    if (!session.backend().fetch(handle, task.outputPath(), temp)) {
      throw new RemoteRunFailedException("remote run succeeded (" + where + ") but did not produce its output "
          + task.outputPath());
    }
    context.note("succeeded (" + where + ")", details.at(Phase.SUCCEEDED));
  }

  private static Phase phase(RunStatus status) {
    return switch (status) {
      case QUEUED -> Phase.QUEUED;
      case RUNNING -> Phase.RUNNING;
      case SUCCEEDED -> Phase.SUCCEEDED;
      case FAILED -> Phase.FAILED;
      case CANCELLED -> Phase.CANCELLED;
    };
  }

  /** Submits a new run, recorded in flight from before its snapshot is exported until it ends. */
  private static RunHandle submit(RemoteRun task, TaskContext context, RemoteSession session, Tier tier,
      String commit, InFlightRecords records, String key) throws Exception {
    String taskName = context.id().toString();
    // A fresh run id each time: submitting creates its run directory anew. Recorded before the
    // snapshot is exported (the retention policy keeps what it names) and before sbatch: a driver
    // killed right after the backend accepted the run leaves its run id, which finds the job again.
    String runId = "run-" + Instant.now().getEpochSecond() + "-" + PID + "-" + COUNTER.incrementAndGet();
    records.write(new InFlight(key, session.backendName(), taskName, commit, runId, ""));
    RunHandle handle;
    try {
      Path snapshot = session.snapshot(commit);
      RunSpec spec = new RunSpec(runId, taskName, task.command(), tier, snapshot, commit,
          session.runtime(task.command(), commit, snapshot), task.environment(), task.runTimeout(), session.workdir(),
          task.outputPath());
      handle = session.backend().submit(spec);
    } catch (Exception | Error e) {
      records.remove(key);
      throw e;
    }
    records.write(new InFlight(key, session.backendName(), taskName, commit, handle.spec().runId(), handle.id()));
    return handle;
  }

  /**
   * The run an earlier driver submitted for the same task, backend, commit and working directory
   * and left in flight (it died), found by its job id or, when the driver died before recording
   * it, by its run id alone; when the backend still follows it and it has not failed; null
   * when there is none, and the stale record is removed.
   */
  private static RunHandle reattach(RemoteRun task, TaskContext context, RemoteSession session, Tier tier,
      String commit, InFlightRecords records, String key) throws IOException {
    Optional<InFlight> earlier = records.find(key);
    if (earlier.isEmpty()) {
      return null;
    }
    InFlight record = earlier.get();
    // The run id names a directory: a record edited by hand must not point elsewhere.
    if (record.backend().equals(session.backendName()) && record.runId().matches("run-[0-9-]+")) {
      RunSpec spec = new RunSpec(record.runId(), context.id().toString(), task.command(), tier,
          session.snapshot(commit), commit, List.of(), task.environment(), task.runTimeout(), session.workdir(),
          task.outputPath());
      Optional<RunHandle> handle = session.backend().reattach(spec, record.jobId());
      if (handle.isPresent()) {
        RunState now = session.backend().poll(List.of(handle.get())).get(handle.get());
        // A failed or cancelled earlier run is not adopted: its outcome is submitted again.
        if (now == null || !now.status().finished() || now.status() == RunStatus.SUCCEEDED) {
          if (record.jobId().isEmpty() && !handle.get().id().isEmpty()) {
            records.write(new InFlight(key, record.backend(), record.task(), commit, record.runId(), handle.get().id()));
          }
          return handle.get();
        }
      }
    }
    records.remove(key);
    return null;
  }

  /**
   * What {@link RemoteRun#checkBeforeRun} checks: the backend starts, the tier exists, the
   * commit is known (and the tree clean, unless a dirty snapshot is allowed), and the output,
   * with links resolved as far as it exists, stays inside the project.
   *
   * @throws io.sluice.SchedulingException saying what to fix
   */
  public static void check(RemoteRun task, RunScope run) {
    RemoteSession session;
    try {
      session = RemoteSession.of(run);
      session.tiers().get(task.tierName());
      session.commit(task.commit());
    } catch (io.sluice.SchedulingException e) {
      throw e;
    } catch (RuntimeException e) {
      // a setting the session cannot read: the run would fail at this task anyway
      throw new io.sluice.SchedulingException("Remote run " + task.id() + " cannot start: " + e.getMessage());
    }
    if (task.outputPath() != null) {
      Path output = task.output().path().toAbsolutePath().normalize();
      Path existing = output;
      while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
        existing = existing.getParent();
      }
      try {
        Path root = session.projectRoot().toRealPath();
        Path real = existing == null ? output : existing.toRealPath().resolve(existing.relativize(output));
        if (!real.normalize().startsWith(root)) {
          throw new io.sluice.SchedulingException("Remote run output '" + task.outputPath() + "' leaves the project "
              + root + " (it resolves to " + real.normalize() + " through a symbolic link): give a path inside it");
        }
      } catch (IOException e) {
        throw new io.sluice.SchedulingException("Remote run output '" + task.outputPath() + "' cannot be resolved: "
            + e.getMessage());
      }
    }
  }

  private static String prefix(RemoteRun task, RunHandle handle) {
    List<String> command = task.command();
    String first = command.get(0);
    String name;
    if (first.equals("sluice") && command.size() > 2 && command.get(1).equals("run")
        && !command.get(2).startsWith("-")) {
      name = command.get(2);  // sluice run TASK --param value: the task, not the last value
    } else if (first.endsWith(".java") && command.size() > 1) {
      name = command.get(1);  // X.java TASK ...: the task
    } else {
      name = Path.of(first).getFileName().toString();  // python3 train.py: the program
    }
    return "[" + name + "@" + handle.backend() + ":" + handle.id() + "] ";
  }

  /** A remote run that failed, was cancelled, or did not produce its output. */
  public static final class RemoteRunFailedException extends IOException {
    RemoteRunFailedException(String message) {
      super(message);
    }
  }

  /** Follows a run's log: prefixed lines to the logger, raw bytes to the task's log file. */
  private static final class LogTail implements AutoCloseable {
    private final RemoteSession session;
    private final RunHandle handle;
    private final String prefix;
    private final OutputStream file;
    private final Deque<String> last = new ArrayDeque<>();
    private final StringBuilder partial = new StringBuilder();
    private long offset;

    LogTail(RemoteSession session, RunHandle handle, Path logFile, String prefix) throws IOException {
      this.session = session;
      this.handle = handle;
      this.prefix = prefix;
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      this.file = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    void drain() throws IOException {
      while (true) {
        byte[] bytes = session.backend().readLog(handle, offset);
        if (bytes.length == 0) {
          return;
        }
        offset += bytes.length;
        file.write(bytes);
        file.flush();
        partial.append(new String(bytes, StandardCharsets.UTF_8));
        int newline;
        while ((newline = partial.indexOf("\n")) >= 0) {
          line(partial.substring(0, newline));
          partial.delete(0, newline + 1);
        }
      }
    }

    private void line(String line) {
      LOG.info("{}{}", prefix, line);
      last.addLast(line);
      if (last.size() > TAIL_LINES) {
        last.removeFirst();
      }
    }

    String lastLines() {
      return String.join("\n", last);
    }

    @Override
    public void close() throws IOException {
      if (partial.length() > 0) {
        line(partial.toString());
        partial.setLength(0);
      }
      file.close();
    }
  }
}
