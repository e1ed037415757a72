package io.sluice.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What squeue's lines mean for a run, from lines recorded on the test cluster (slurm-wlm 22.05)
 * and, for states it cannot produce without cgroups or a second node, in Slurm's documented form.
 */
class SlurmJobTest {

  private final RunSpec spec = TestRuns.spec(Path.of("/nonexistent"), TestRuns.tier("small", 512),
      Duration.ofMinutes(2), "out.txt", "true");

  private static SlurmJob line(String squeueLine) {
    return SlurmJob.parse(squeueLine + "\n").values().iterator().next();
  }

  @Test
  void squeueOutputIsReadByJobIdAndNoiseIsLeftOut() {
    var jobs = SlurmJob.parse("12|RUNNING|None\n13|PENDING|Priority\n\nnot a job line\n");

    assertThat(jobs).containsOnlyKeys("12", "13");
    assertThat(jobs.get("13")).isEqualTo(new SlurmJob("13", "PENDING", "Priority"));
  }

  @Test
  void aPendingJobIsQueuedWithSlurmsReason() {
    assertThat(line("21|PENDING|Resources").runState(null, "", spec))
        .isEqualTo(new RunState(RunStatus.QUEUED, null, "Slurm job 21 PENDING (Resources)"));
  }

  @Test
  void aJobOverItsPartitionsLimitsFailsInsteadOfWaitingForever() {
    // Recorded with EnforcePartLimits=NO: sbatch -p small --mem=4096 (small has MaxMemPerNode=2048).
    SlurmJob job = line("691|PENDING|MaxMemPerLimit");

    assertThat(job.neverStarts()).isTrue();
    assertThat(job.runState(null, "", spec)).isEqualTo(new RunState(RunStatus.FAILED, null, "Slurm job 691 PENDING"
        + " (MaxMemPerLimit): it asks for more than its partition allows and would wait forever; give tier Test"
        + " less, or another [tiers.Test.slurm] partition"));
    assertThat(line("692|PENDING|PartitionTimeLimit").neverStarts()).isTrue();
    assertThat(line("693|PENDING|Resources").neverStarts()).isFalse();
  }

  @Test
  void runningAndCompletingJobsRun() {
    assertThat(line("21|RUNNING|None").runState(null, "", spec)).isEqualTo(RunState.of(RunStatus.RUNNING));
    assertThat(line("21|COMPLETING|None").runState(null, "", spec)).isEqualTo(RunState.of(RunStatus.RUNNING));
  }

  @Test
  void aCompletedJobWithExitCodeZeroSucceeded() {
    assertThat(line("21|COMPLETED|None").runState(0, "", spec)).isEqualTo(new RunState(RunStatus.SUCCEEDED, 0, ""));
  }

  @Test
  void aNonZeroExitIsAFailureNamingTheJobItsStateAndReason() {
    assertThat(line("22|FAILED|NonZeroExitCode").runState(3, "", spec))
        .isEqualTo(new RunState(RunStatus.FAILED, 3, "Slurm job 22 FAILED (NonZeroExitCode)"));
  }

  @Test
  void outOfMemoryNamesTheTiersMemory() {
    RunState state = line("23|OUT_OF_MEMORY|OutOfMemory").runState(null, "", spec);

    assertThat(state.status()).isEqualTo(RunStatus.FAILED);
    assertThat(state.reason()).isEqualTo("Slurm job 23 OUT_OF_MEMORY (OutOfMemory): the run used more memory than"
        + " its tier Test allows (512 MiB)");
  }

  @Test
  void withoutCgroupsAMemoryKillIsAFailedJobWhoseOutputSaysSo() {
    // Recorded: JobAcctGatherParams=OverMemoryKill kills the job, squeue says FAILED|JobLaunchFailure.
    String slurmOut = "slurmstepd-localhost: error: Exceeded job memory limit\n"
        + "slurmstepd-localhost: error: *** JOB 6 ON localhost CANCELLED AT 2026-11-26T06:29:52 ***";

    RunState state = line("6|FAILED|JobLaunchFailure").runState(null, slurmOut, spec);

    assertThat(state.status()).isEqualTo(RunStatus.FAILED);
    assertThat(state.exitCode()).isNull();
    assertThat(state.reason()).startsWith("Slurm job 6 FAILED (JobLaunchFailure): the run used more memory than"
        + " its tier Test allows (512 MiB); Slurm said: slurmstepd-localhost: error: Exceeded job memory limit / ");
  }

  @Test
  void aTimeoutNamesTheLimitAndSlurmsMessage() {
    RunState state = line("3|TIMEOUT|TimeLimit").runState(null,
        "slurmstepd-localhost: error: *** JOB 3 ON localhost CANCELLED AT 2026-11-26T06:28:59 DUE TO TIME LIMIT ***",
        spec);

    assertThat(state.status()).isEqualTo(RunStatus.FAILED);
    assertThat(state.reason()).isEqualTo("Slurm job 3 TIMEOUT (TimeLimit): the time limit of 00:02:00 (Slurm rounds"
        + " limits up to whole minutes) was reached; Slurm said: slurmstepd-localhost: error: *** JOB 3 ON"
        + " localhost CANCELLED AT 2026-11-26T06:28:59 DUE TO TIME LIMIT ***");
  }

  @Test
  void aCancelledJobIsACancelledRun() {
    assertThat(line("10|CANCELLED|None").runState(null, "", spec))
        .isEqualTo(new RunState(RunStatus.CANCELLED, null, "Slurm job 10 CANCELLED"));
  }

  @Test
  void aNodeFailureFailsTheRun() {
    assertThat(line("30|NODE_FAIL|NodeDown").runState(null, "", spec))
        .isEqualTo(new RunState(RunStatus.FAILED, null, "Slurm job 30 NODE_FAIL (NodeDown)"));
  }

  @Test
  void aCompletedJobWithoutExitCodeFailsSayingSo() {
    assertThat(line("31|COMPLETED|None").runState(null, "", spec))
        .isEqualTo(new RunState(RunStatus.FAILED, null, "Slurm job 31 COMPLETED: the run wrote no exit code"));
  }

  @Test
  void aSuspendedJobIsStillRunningAndSaysWhy() {
    assertThat(line("32|SUSPENDED|None").runState(null, "", spec))
        .isEqualTo(new RunState(RunStatus.RUNNING, null, "Slurm job 32 SUSPENDED"));
  }

  @Test
  void onlyStatesThatCannotChangeAreFinished() {
    assertThat(line("1|COMPLETED|None").finished()).isTrue();
    assertThat(line("1|OUT_OF_MEMORY|None").finished()).isTrue();
    assertThat(line("1|COMPLETING|None").finished()).isFalse();
    assertThat(line("1|REQUEUED|None").finished()).isFalse();
  }
}
