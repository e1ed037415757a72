package io.sluice.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.remote.spi.RemoteEnvironment;
import io.sluice.remote.internal.RunFiles;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Submitting and polling against recorded Slurm answers: exact, fast, no cluster needed. */
class SlurmBackendPollingTest {

  @TempDir
  Path shared;

  @TempDir
  Path snapshot;

  private final MutableClock clock = new MutableClock();
  private final List<Duration> sleeps = new ArrayList<>();
  private final List<List<String>> commands = new ArrayList<>();
  private CommandRunner.Result squeueAnswer = new CommandRunner.Result(0, "", "");
  private int nextJobId = 100;
  private SlurmBackend backend;

  @BeforeEach
  void backend() throws IOException {
    Files.writeString(snapshot.resolve("input.txt"), "data\n");
    CommandRunner recorded = command -> {
      commands.add(command);
      return switch (command.get(0)) {
        case "sbatch" -> new CommandRunner.Result(0, (nextJobId++) + "\n", "");
        case "squeue" -> squeueAnswer;
        default -> new CommandRunner.Result(0, "", "");
      };
    };
    backend = new SlurmBackend(new SlurmConfig(shared, Duration.ofMillis(250), Duration.ofSeconds(60)), recorded,
        clock, duration -> {
          sleeps.add(duration);
          clock.advance(duration);
        });
  }

  private RunHandle submit(String... command) throws IOException {
    return backend.submit(TestRuns.spec(snapshot, TestRuns.tier("small", 0), null, "out.txt", command));
  }

  private List<List<String>> commandsOf(String program) {
    return commands.stream().filter(c -> c.get(0).equals(program)).toList();
  }

  @Test
  void submitWritesTheRunDirectoryAndSubmitsRunShWithTheTiersOptions() throws IOException {
    RunHandle run = submit("HelloPipeline.java", "Hello");

    Path dir = shared.resolve(run.spec().runId());
    assertThat(run.id()).isEqualTo("100");
    assertThat(dir.resolve("workspace/input.txt")).hasContent("data");
    assertThat(dir.resolve(RunFiles.SCRIPT)).isExecutable();
    assertThat(commands.get(0)).containsExactly("sbatch", "--parsable", "--job-name=sluice-HelloPipeline-Hello",
        "--output=" + dir.resolve("slurm.out"), "--chdir=" + dir, RemoteEnvironment.defaults().sbatchExport(),
        "--comment=" + run.spec().runId(), "--partition=small", "--cpus-per-task=1",
        dir.resolve(RunFiles.SCRIPT).toString());
  }

  @Test
  void manyRunsArePolledWithOneSqueueCall() throws IOException {
    List<RunHandle> runs = List.of(submit("true"), submit("true"), submit("true"));
    squeueAnswer = new CommandRunner.Result(0, "100|RUNNING|None\n101|PENDING|Priority\n102|PENDING|Resources\n", "");

    Map<RunHandle, RunState> states = backend.poll(runs);

    assertThat(commandsOf("squeue")).containsExactly(
        List.of("squeue", "-h", "-t", "all", "-j", "100,101,102", "-o", "%i|%T|%r"));
    assertThat(states.get(runs.get(0)).status()).isEqualTo(RunStatus.RUNNING);
    assertThat(states.get(runs.get(1))).isEqualTo(new RunState(RunStatus.QUEUED, null, "Slurm job 101 PENDING (Priority)"));
  }

  @Test
  void squeueIsAskedAtMostOncePerQueryInterval() throws IOException {
    List<RunHandle> runs = List.of(submit("true"));
    squeueAnswer = new CommandRunner.Result(0, "100|RUNNING|None\n", "");

    backend.poll(runs);
    clock.advance(Duration.ofMillis(100));
    backend.poll(runs);
    clock.advance(Duration.ofMillis(400));
    backend.poll(runs);

    assertThat(commandsOf("squeue")).hasSize(3);
    assertThat(sleeps).containsExactly(Duration.ofMillis(150));
  }

  @Test
  void aFailingSqueueIsAnErrorOfThePollNotAFailedRun() throws IOException {
    List<RunHandle> runs = List.of(submit("true"));
    squeueAnswer = new CommandRunner.Result(1, "",
        "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n");

    assertThatThrownBy(() -> backend.poll(runs)).isInstanceOf(IOException.class)
        .hasMessage("squeue failed (exit code 1): slurm_load_jobs error: Unable to contact slurm controller"
            + " (connect failure)");
  }

  @Test
  void aJobNoLongerListedIsResolvedByItsExitCodeFile() throws IOException {
    RunHandle succeeded = submit("true");
    RunHandle failed = submit("false");
    RunHandle vanished = submit("sleep", "1");
    Files.writeString(shared.resolve(succeeded.spec().runId()).resolve(RunFiles.EXIT_CODE), "0\n");
    Files.writeString(shared.resolve(failed.spec().runId()).resolve(RunFiles.EXIT_CODE), "1\n");

    Map<RunHandle, RunState> states = backend.poll(List.of(succeeded, failed, vanished));

    assertThat(states.get(succeeded)).isEqualTo(new RunState(RunStatus.SUCCEEDED, 0, ""));
    assertThat(states.get(failed)).isEqualTo(new RunState(RunStatus.FAILED, 1,
        "Slurm job 101 ended (squeue no longer lists it)"));
    assertThat(states.get(vanished)).isEqualTo(new RunState(RunStatus.FAILED, null,
        "Slurm job 102 vanished from Slurm without an exit code (squeue no longer lists it)"));
  }

  @Test
  void squeueRefusingASingleForgottenJobIdMeansTheJobIsNotListed() throws IOException {
    RunHandle run = submit("true");
    Files.writeString(shared.resolve(run.spec().runId()).resolve(RunFiles.EXIT_CODE), "0\n");
    squeueAnswer = new CommandRunner.Result(1, "", "slurm_load_jobs error: Invalid job id specified\n");

    assertThat(backend.poll(List.of(run)).get(run).status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void aCompletedJobGetsAMinuteForItsExitCodeToShowOnTheSharedFilesystem() throws IOException {
    RunHandle run = submit("true");
    squeueAnswer = new CommandRunner.Result(0, "100|COMPLETED|None\n", "");

    RunState first = backend.poll(List.of(run)).get(run);
    clock.advance(Duration.ofSeconds(30));
    RunState meanwhile = backend.poll(List.of(run)).get(run);
    clock.advance(Duration.ofSeconds(31));
    RunState last = backend.poll(List.of(run)).get(run);

    assertThat(first.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(first.reason()).isEqualTo("Slurm job 100 COMPLETED: waiting for its exit code to appear");
    assertThat(meanwhile.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(last).isEqualTo(new RunState(RunStatus.FAILED, null, "Slurm job 100 COMPLETED: the run wrote no exit code"));
  }

  @Test
  void aFailureWithoutExitCodeQuotesSlurmsOutput() throws IOException {
    RunHandle run = submit("sleep", "600");
    Files.writeString(shared.resolve(run.spec().runId()).resolve("slurm.out"),
        "\nslurmstepd-localhost: error: *** JOB 100 ON localhost CANCELLED AT 2026-11-26T06:28:59 DUE TO TIME LIMIT ***\n");
    squeueAnswer = new CommandRunner.Result(0, "100|TIMEOUT|TimeLimit\n", "");

    RunState state = backend.poll(List.of(run)).get(run);

    assertThat(state.reason()).startsWith("Slurm job 100 TIMEOUT (TimeLimit): the time limit of the partition was"
        + " reached; Slurm said: slurmstepd-localhost: error: *** JOB 100");
  }

  @Test
  void aJobThatWouldWaitForeverIsCancelledAndItsRunFails() throws IOException {
    RunHandle run = submit("true");
    squeueAnswer = new CommandRunner.Result(0, "100|PENDING|PartitionTimeLimit\n", "");

    RunState state = backend.poll(List.of(run)).get(run);

    assertThat(state.status()).isEqualTo(RunStatus.FAILED);
    assertThat(commandsOf("scancel")).containsExactly(List.of("scancel", "100"));
  }

  @Test
  void closeCancelsTheUnfinishedJobsInOneCall() throws IOException {
    RunHandle done = submit("true");
    submit("sleep", "60");
    submit("sleep", "60");
    squeueAnswer = new CommandRunner.Result(0, "100|COMPLETED|None\n", "");
    Files.writeString(shared.resolve(done.spec().runId()).resolve(RunFiles.EXIT_CODE), "0\n");
    backend.poll(List.of(done));

    backend.close();

    assertThat(commandsOf("scancel")).hasSize(1);
    assertThat(commandsOf("scancel").get(0)).containsExactlyInAnyOrder("scancel", "101", "102");
  }

  @Test
  void jobNamesComeFromTheCommand() {
    assertThat(SlurmBackend.jobName(List.of("pipelines/Train.java", "TrainForest", "--seed", "3")))
        .isEqualTo("sluice-Train-TrainForest");
    assertThat(SlurmBackend.jobName(List.of("sh", "-c", "echo hi > x"))).isEqualTo("sluice-sh");
    assertThat(SlurmBackend.jobName(List.of("python3", "train.py", "3", "4"))).isEqualTo("sluice-python3-train.py-3");
    assertThat(SlurmBackend.jobName(List.of("echo hi"))).isEqualTo("sluice");
  }
}
