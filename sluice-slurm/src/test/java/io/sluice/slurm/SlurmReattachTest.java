package io.sluice.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.Sleeper;
import io.sluice.remote.internal.InFlightRecords;
import io.sluice.remote.internal.InFlightRecords.InFlight;
import io.sluice.remote.internal.RunFiles;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver that dies during a Slurm job leaves a record of it in flight; the next run of the
 * same task re-attaches to the job instead of submitting it again, waits for it and fetches its
 * output. Real driver JVMs, real sbatch, squeue and scancel.
 */
class SlurmReattachTest {

  @TempDir Path project;
  @TempDir Path shared;
  @TempDir Path logs;
  private Path counter;
  private final List<Process> drivers = new ArrayList<>();
  private final List<String> jobs = new ArrayList<>();

  @BeforeEach
  void repository() throws Exception {
    SlurmCluster.require();
    counter = logs.resolve("started.txt");
    try (Git git = Git.init().setDirectory(project.toFile()).setInitialBranch("main").call()) {
      Files.writeString(project.resolve(".gitignore"), ".sluice/\nout/\n");
      Files.writeString(project.resolve("input.txt"), "input\n");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("project").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
          .setSign(false).call();
    }
  }

  /** Cancels every job of this test, found by its run directory in this test's shared directory. */
  @AfterEach
  void leaveNothingBehind() throws IOException {
    drivers.forEach(Process::destroyForcibly);
    CommandRunner slurm = CommandRunner.system(Duration.ofSeconds(30));
    for (String line : slurm.run(List.of("squeue", "-h", "-o", "%i %Z")).stdout().lines().toList()) {
      String[] fields = line.strip().split(" ", 2);
      if (fields.length == 2 && Path.of(fields[1]).startsWith(shared)) {
        jobs.add(fields[0]);
      }
    }
    if (!jobs.isEmpty()) {
      List<String> scancel = new ArrayList<>(List.of("scancel"));
      scancel.addAll(jobs);
      slurm.run(scancel);
    }
  }

  private Process driver(String name, String seconds) throws IOException {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        ReattachDriver.class.getName(), shared.toString(), counter.toString(), seconds)
        .directory(project.toFile()).redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile())
        .start();
    drivers.add(process);
    return process;
  }

  private String log(String name) throws IOException {
    return Files.readString(logs.resolve(name + ".log"));
  }

  private List<String> started() throws IOException {
    return Files.exists(counter) ? Files.readAllLines(counter) : List.of();
  }

  /** Waits until the job runs (it wrote to the counter) and returns its id from the in-flight record. */
  private String awaitJobRunning(String driverName) throws Exception {
    Instant deadline = Instant.now().plusSeconds(120);
    while (started().isEmpty()) {
      assertThat(Instant.now()).as("the job has not started; driver log:\n%s", log(driverName)).isBefore(deadline);
      Thread.sleep(100);
    }
    List<Path> records = inFlightRecords();
    assertThat(records).as("one in-flight record").hasSize(1);
    Properties record = new Properties();
    try (var in = Files.newBufferedReader(records.get(0))) {
      record.load(in);
    }
    String jobId = record.getProperty("job_id");
    jobs.add(jobId);
    return jobId;
  }

  private List<Path> inFlightRecords() throws IOException {
    Path dir = project.resolve(".sluice/inflight");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".properties")).toList();
    }
  }

  @Test
  void aNewRunAdoptsTheJobOfADriverKilledDuringItAndFetchesItsOutput() throws Exception {
    Process first = driver("first", "6");
    String jobId = awaitJobRunning("first");

    first.destroyForcibly();  // SIGKILL: no shutdown hook, no cancel
    first.waitFor(30, TimeUnit.SECONDS);
    assertThat(SlurmCluster.unfinishedJobs(jobId)).as("the job outlives its driver").containsExactly(jobId);

    Process second = driver("second", "6");
    assertThat(second.waitFor(180, TimeUnit.SECONDS)).as("second driver ends; log:\n%s", log("second")).isTrue();

    assertThat(second.exitValue()).as(log("second")).isZero();
    assertThat(log("second")).contains("slurm run " + jobId + " re-attached");
    assertThat(project.resolve("out/result.txt")).hasContent("result of job " + jobId);
    assertThat(started()).as("the command ran once: one sbatch in all").hasSize(1);
    assertThat(inFlightRecords()).as("the record goes when the run ends").isEmpty();
  }

  @Test
  void interruptingTheDriverCancelsItsJobAndRemovesTheRecord() throws Exception {
    Process first = driver("first", "120");
    String jobId = awaitJobRunning("first");

    first.destroy();  // SIGTERM, as Ctrl-C: the run cancels what it started
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).as(log("first")).isTrue();

    Instant deadline = Instant.now().plusSeconds(60);
    while (!SlurmCluster.unfinishedJobs(jobId).isEmpty()) {
      assertThat(Instant.now()).as("job %s still queued or running after the interrupt", jobId).isBefore(deadline);
      Thread.sleep(200);
    }
    assertThat(inFlightRecords()).isEmpty();
  }

  /**
   * Leaves the in-flight record as a driver killed between sbatch's answer and recording the job
   * id leaves it: the run id known, the job id empty.
   */
  private InFlight forgetJobId() throws IOException {
    InFlightRecords records = new InFlightRecords(project.resolve(".sluice/inflight"));
    List<InFlight> all = records.all();
    assertThat(all).as("one in-flight record").hasSize(1);
    InFlight record = all.get(0);
    assertThat(record.runId()).isNotEmpty();
    records.write(new InFlight(record.key(), record.backend(), record.task(), record.commit(), record.runId(), ""));
    return record;
  }

  /** Runs the same task again ({@code seconds} as the first driver's) and checks it adopted the job. */
  private void assertSecondDriverAdopted(String jobId, String seconds) throws Exception {
    Process second = driver("second", seconds);
    assertThat(second.waitFor(180, TimeUnit.SECONDS)).as("second driver ends; log:\n%s", log("second")).isTrue();

    assertThat(second.exitValue()).as(log("second")).isZero();
    assertThat(log("second")).contains("slurm run " + jobId + " re-attached");
    assertThat(project.resolve("out/result.txt")).hasContent("result of job " + jobId);
    assertThat(started()).as("the command ran once: one sbatch in all").hasSize(1);
    assertThat(inFlightRecords()).as("the record goes when the run ends").isEmpty();
  }

  @Test
  void aNewRunAdoptsTheJobOfADriverKilledBeforeItRecordedTheJobId() throws Exception {
    Process first = driver("first", "6");
    String jobId = awaitJobRunning("first");
    first.destroyForcibly();
    first.waitFor(30, TimeUnit.SECONDS);
    forgetJobId();
    assertThat(SlurmCluster.unfinishedJobs(jobId)).as("the job outlives its driver").containsExactly(jobId);

    assertSecondDriverAdopted(jobId, "6");
  }

  @Test
  void aNewRunAdoptsAJobThatFinishedAfterItsDriverWasKilledBeforeItRecordedTheJobId() throws Exception {
    Process first = driver("first", "1");
    String jobId = awaitJobRunning("first");
    first.destroyForcibly();
    first.waitFor(30, TimeUnit.SECONDS);
    InFlight record = forgetJobId();
    Instant deadline = Instant.now().plusSeconds(120);
    while (RunFiles.exitCode(shared.resolve(record.runId())) == null) {
      assertThat(Instant.now()).as("job %s has not finished", jobId).isBefore(deadline);
      Thread.sleep(100);
    }

    assertSecondDriverAdopted(jobId, "1");
  }

  @Test
  void aFinishedRunSqueueNoLongerListsIsAdoptedByItsRunIdAndItsFilesTellItsOutcome() throws Exception {
    List<List<String>> squeueCalls = Collections.synchronizedList(new ArrayList<>());
    CommandRunner real = CommandRunner.system(Duration.ofSeconds(30));
    CommandRunner counted = command -> {
      if (command.get(0).equals("squeue")) {
        squeueCalls.add(command);
      }
      return real.run(command);
    };
    try (SlurmBackend backend = new SlurmBackend(new SlurmConfig(shared, Duration.ofMillis(100), Duration.ofSeconds(30)),
        counted, Clock.systemUTC(), Sleeper.system())) {
      // The files of a run whose job Slurm has forgotten (it left squeue after MinJobAge).
      RunSpec finished = TestRuns.spec(project, TestRuns.PROJECT_TIERS.get("Small"), null, "out/result.txt", "true");
      Path dir = shared.resolve(finished.runId());
      Files.createDirectories(dir.resolve(RunFiles.WORKSPACE).resolve("out"));
      Files.writeString(dir.resolve(RunFiles.WORKSPACE).resolve("out/result.txt"), "result\n");
      Files.writeString(dir.resolve(RunFiles.EXIT_CODE), "0\n");
      RunSpec lost = TestRuns.spec(project, TestRuns.PROJECT_TIERS.get("Small"), null, "out/result.txt", "true");
      Files.createDirectories(shared.resolve(lost.runId()));

      RunHandle handle = backend.reattach(finished, "").orElseThrow();
      Map<RunHandle, RunState> states = backend.poll(List.of(handle));
      Path fetched = logs.resolve("fetched.txt");

      assertThat(states.get(handle)).isEqualTo(new RunState(RunStatus.SUCCEEDED, 0, ""));
      assertThat(backend.fetch(handle, "out/result.txt", fetched)).isTrue();
      assertThat(fetched).hasContent("result");
      assertThat(backend.reattach(lost, "")).as("no job, no exit code: submitted again").isEmpty();
      assertThat(squeueCalls).as("squeue is never asked about an empty job id").noneMatch(c -> c.contains("-j"));
    }
  }
}
