package io.sluice.slurm;

import io.sluice.Sleeper;
import io.sluice.remote.internal.Distribution;
import io.sluice.remote.spi.RemoteCommand;
import io.sluice.remote.spi.RemoteEnvironment;
import io.sluice.remote.internal.RunFiles;
import io.sluice.remote.spi.RunBackend;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remote runs as Slurm batch jobs. Each run gets a directory on a filesystem shared with the
 * nodes ({@code [slurm] shared_dir}) holding its workspace (a copy of the snapshot) and the
 * {@code run.sh} of the common file contract, which is submitted with {@code sbatch} and the
 * options of its tier. One {@code squeue} call per poll answers for every active run, at most
 * one per {@code query_interval}; the run's {@code exit_code} file says how the command ended,
 * Slurm's state says why a job ended without one (time limit, memory, cancel, node failure).
 * Jobs get an explicit {@code --export} of the allow-listed variables ({@link RemoteEnvironment}),
 * not sbatch's default of the caller's whole environment.
 */
public final class SlurmBackend implements RunBackend {

  public static final String NAME = "slurm";

  /** Slurm's own output for the job: its messages about time limits, memory and cancels. */
  static final String SLURM_OUTPUT = "slurm.out";

  /**
   * How long a job Slurm calls COMPLETED may take to show its exit code: an NFS client can
   * cache a directory's attributes for up to a minute.
   */
  static final Duration EXIT_CODE_GRACE = Duration.ofSeconds(60);

  private final SlurmConfig config;
  private final RemoteEnvironment environment;
  private final CommandRunner slurm;
  private final Clock clock;
  private final Sleeper sleeper;
  /** Jobs submitted and not yet seen finished: what {@link #close()} cancels. */
  private final Set<String> active = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> completedWithoutExitCode = new ConcurrentHashMap<>();
  private final Object queryLock = new Object();
  private Instant lastQuery;

  SlurmBackend(SlurmConfig config, CommandRunner slurm, Clock clock, Sleeper sleeper) {
    this(config, RemoteEnvironment.defaults(), slurm, clock, sleeper);
  }

  SlurmBackend(SlurmConfig config, RemoteEnvironment environment, CommandRunner slurm, Clock clock,
      Sleeper sleeper) {
    this.config = config;
    this.environment = environment;
    this.slurm = slurm;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  @Override
  public RunHandle submit(RunSpec spec) throws IOException {
    Path dir = runDir(spec);
    RunFiles.createRunDirectory(dir);
    RunFiles.linkTree(spec.snapshot(), dir.resolve(RunFiles.WORKSPACE));
    RunFiles.writeScript(dir, spec, command(spec), List.of());
    List<String> sbatch = new ArrayList<>(List.of("sbatch", "--parsable", "--job-name=" + jobName(spec.command()),
        "--output=" + dir.resolve(SLURM_OUTPUT), "--chdir=" + dir, environment.sbatchExport(),
        // The run id (generated, "run-" and digits) finds the job when its id was never recorded.
        "--comment=" + spec.runId()));
    sbatch.addAll(SbatchOptions.of(spec.tier(), spec.timeout()));
    sbatch.add(dir.resolve(RunFiles.SCRIPT).toString());
    CommandRunner.Result result = slurm.run(sbatch);
    if (!result.ok()) {
      throw new IOException("sbatch refused run " + spec.runId() + " of tier " + spec.tier().name() + ": "
          + result.message() + " (command: " + String.join(" ", sbatch) + ")");
    }
    // --parsable prints "id" or "id;cluster"
    String jobId = result.stdout().strip().split(";", 2)[0];
    if (!jobId.matches("\\d+")) {
      throw new IOException("sbatch answered '" + result.stdout().strip() + "' instead of a job id for run "
          + spec.runId());
    }
    active.add(jobId);
    return new RunHandle(NAME, jobId, spec);
  }

  /**
   * Follows a job submitted earlier (by a driver that died): when squeue still lists it, or its
   * run directory holds the exit code of a finished run. Without a job id (the driver died before
   * recording it) the job is the one whose comment is the run id; a finished run squeue no longer
   * lists is followed with an empty job id. A Ctrl-C of the run that re-attached cancels it like
   * one it submitted.
   */
  @Override
  public java.util.Optional<RunHandle> reattach(RunSpec spec, String recordedJobId) throws IOException {
    if (!(recordedJobId.isEmpty() || recordedJobId.matches("\\d+")) || !Files.isDirectory(runDir(spec))) {
      return java.util.Optional.empty();
    }
    String jobId = recordedJobId.isEmpty() ? jobOfRun(spec.runId()) : recordedJobId;
    SlurmJob job = jobId.isEmpty() ? null : squeue(List.of(jobId)).get(jobId);
    if (job == null && RunFiles.exitCode(runDir(spec)) == null) {
      return java.util.Optional.empty();
    }
    if (job != null && !job.finished()) {
      active.add(jobId);
    }
    return java.util.Optional.of(new RunHandle(NAME, jobId, spec));
  }

  /** The id of the job submitted for a run, found by its comment in one squeue call; empty when none. */
  private String jobOfRun(String runId) throws IOException {
    List<String> command = List.of("squeue", "-h", "-t", "all", "-o", "%i %k");
    CommandRunner.Result result;
    synchronized (queryLock) {
      waitForQueryInterval();
      result = slurm.run(command);
    }
    if (!result.ok()) {
      throw new IOException("squeue failed (exit code " + result.exitCode() + ") looking for the job of run "
          + runId + ": " + result.message());
    }
    for (String line : result.stdout().lines().toList()) {
      String[] fields = line.strip().split(" ", 2);
      if (fields.length == 2 && fields[1].strip().equals(runId) && fields[0].matches("\\d+")) {
        return fields[0];
      }
    }
    return "";
  }

  @Override
  public Map<RunHandle, RunState> poll(Collection<RunHandle> runs) throws IOException {
    if (runs.isEmpty()) {
      return Map.of();
    }
    // A finished run re-attached without a job id has none to ask about: its files tell.
    List<String> jobIds = runs.stream().map(RunHandle::id).filter(id -> !id.isEmpty()).distinct().toList();
    Map<String, SlurmJob> jobs = jobIds.isEmpty() ? Map.of() : squeue(jobIds);
    Map<RunHandle, RunState> states = new LinkedHashMap<>();
    for (RunHandle run : runs) {
      RunState state = state(run, jobs.get(run.id()));
      if (state.status().finished()) {
        active.remove(run.id());
        completedWithoutExitCode.remove(run.id());
      }
      states.put(run, state);
    }
    List<String> hopeless = jobs.values().stream().filter(SlurmJob::neverStarts).map(SlurmJob::id).toList();
    if (!hopeless.isEmpty()) {
      // Their runs failed: leave nothing behind in the queue.
      scancel(hopeless);
    }
    return states;
  }

  private RunState state(RunHandle run, SlurmJob job) {
    Path dir = runDir(run.spec());
    Integer exitCode = RunFiles.exitCode(dir);
    if (job == null) {
      // Finished jobs leave squeue after MinJobAge (300 s by default): the files still tell.
      if (exitCode == null) {
        return new RunState(RunStatus.FAILED, null, "Slurm job " + run.id()
            + " vanished from Slurm without an exit code (squeue no longer lists it)");
      }
      return exitCode == 0 ? new RunState(RunStatus.SUCCEEDED, 0, "")
          : new RunState(RunStatus.FAILED, exitCode, "Slurm job " + run.id() + " ended (squeue no longer lists it)");
    }
    if (job.state().equals("COMPLETED") && exitCode == null) {
      Instant first = completedWithoutExitCode.computeIfAbsent(run.id(), id -> clock.instant());
      if (Duration.between(first, clock.instant()).compareTo(EXIT_CODE_GRACE) < 0) {
        return new RunState(RunStatus.RUNNING, null, job.describe() + ": waiting for its exit code to appear");
      }
    }
    String slurmOutput = job.finished() && exitCode == null ? tail(dir.resolve(SLURM_OUTPUT)) : "";
    return job.runState(exitCode, slurmOutput, run.spec());
  }

  /** One squeue call for all the jobs, at most one per query interval. */
  private Map<String, SlurmJob> squeue(List<String> jobIds) throws IOException {
    List<String> command = List.of("squeue", "-h", "-t", "all", "-j", String.join(",", jobIds),
        "-o", SlurmJob.SQUEUE_FORMAT);
    CommandRunner.Result result;
    synchronized (queryLock) {
      waitForQueryInterval();
      result = slurm.run(command);
    }
    if (!result.ok()) {
      // squeue refuses a single job id it does not know any more; several are just not listed.
      if (result.stderr().contains("Invalid job id specified")) {
        return Map.of();
      }
      // Thrown, not a failed run: the controller may be restarting; the next poll asks again.
      throw new IOException("squeue failed (exit code " + result.exitCode() + "): " + result.message());
    }
    return SlurmJob.parse(result.stdout());
  }

  private void waitForQueryInterval() throws InterruptedIOException {
    if (lastQuery != null) {
      Duration wait = Duration.between(clock.instant(), lastQuery.plus(config.queryInterval()));
      if (!wait.isNegative() && !wait.isZero()) {
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting to ask squeue");
        }
      }
    }
    lastQuery = clock.instant();
  }

  @Override
  public void cancel(RunHandle run) throws IOException {
    if (run.id().isEmpty()) {
      return;  // re-attached after it finished: nothing to cancel
    }
    scancel(List.of(run.id()));
  }

  private void scancel(List<String> jobIds) throws IOException {
    List<String> command = new ArrayList<>(List.of("scancel"));
    command.addAll(jobIds);
    CommandRunner.Result result = slurm.run(command);
    String message = result.message();
    // A job that ended meanwhile needs no cancelling.
    if (!result.ok() && !message.contains("already completing or completed") && !message.contains("Invalid job id")) {
      throw new IOException("scancel " + String.join(" ", jobIds) + " failed: " + message);
    }
  }

  @Override
  public byte[] readLog(RunHandle run, long offset) throws IOException {
    return RunFiles.readLog(runDir(run.spec()), offset);
  }

  @Override
  public boolean fetch(RunHandle run, String path, Path destination) throws IOException {
    return RunFiles.fetch(runDir(run.spec()), run.spec().workdir(), path, destination);
  }

  /** Cancels the jobs this backend submitted that have not finished, in one scancel call. */
  @Override
  public void close() throws IOException {
    List<String> unfinished = List.copyOf(active);
    if (!unfinished.isEmpty()) {
      scancel(unfinished);
      active.removeAll(unfinished);
    }
  }

  Path runDir(RunSpec spec) {
    return config.sharedDir().resolve(spec.runId());
  }

  private static List<String> command(RunSpec spec) {
    // A JVM sizes its heap from the node's memory, not from --mem: kept inside the job's limit
    // so that Slurm does not kill it.
    return Distribution.command(spec.command(), spec.runtime(), RemoteCommand.heapOptions(spec.tier()));
  }

  /**
   * The job's name in squeue: {@code sluice-} and the first words of the command that look like
   * names ({@code sluice-HelloPipeline-Hello} for {@code HelloPipeline.java Hello}).
   */
  static String jobName(List<String> command) {
    List<String> words = new ArrayList<>();
    for (String word : command) {
      if (words.size() == 3 || word.startsWith("-")) {
        break;
      }
      String name = Path.of(word).getFileName() == null ? word : Path.of(word).getFileName().toString();
      name = name.endsWith(".java") ? name.substring(0, name.length() - 5) : name;
      if (!name.matches("[A-Za-z0-9._+-]+")) {
        break;
      }
      words.add(name);
    }
    return "sluice" + (words.isEmpty() ? "" : "-" + String.join("-", words));
  }

  /** The last lines of a small file (Slurm's messages), at most 1 KiB. */
  private static String tail(Path file) {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(0, in.length() - 1024);
      byte[] bytes = new byte[(int) (in.length() - start)];
      in.seek(start);
      in.readFully(bytes);
      List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }
}
