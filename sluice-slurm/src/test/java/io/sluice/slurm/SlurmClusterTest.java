package io.sluice.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.Sleeper;
import io.sluice.remote.Tier;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Slurm backend against a real cluster ({@code sudo scripts/slurm-local.sh up}): runs go
 * through sbatch, squeue and scancel for real, and come back through the shared run directory.
 */
class SlurmClusterTest {

  @TempDir
  Path shared;

  @TempDir
  Path snapshot;

  private final List<List<String>> squeueCalls = Collections.synchronizedList(new ArrayList<>());
  private final List<IOException> pollErrors = new ArrayList<>();
  private int polls;
  private SlurmBackend backend;

  @BeforeEach
  void cluster() throws IOException {
    SlurmCluster.require();
    Files.writeString(snapshot.resolve("input.txt"), "from the snapshot\n");
    backend = backend(Duration.ofSeconds(60));
  }

  @AfterEach
  void cancelWhatIsLeft() throws IOException {
    if (backend != null) {
      backend.close();
    }
  }

  /** The real commands, with every squeue call counted on its way. */
  private SlurmBackend backend(Duration commandTimeout) {
    CommandRunner real = CommandRunner.system(commandTimeout);
    CommandRunner counted = command -> {
      if (command.get(0).equals("squeue")) {
        squeueCalls.add(command);
      }
      return real.run(command);
    };
    return new SlurmBackend(new SlurmConfig(shared, Duration.ofMillis(100), commandTimeout), counted,
        Clock.systemUTC(), Sleeper.system());
  }

  private RunSpec spec(Tier tier, Duration timeout, String... command) {
    return TestRuns.spec(snapshot, tier, timeout, "out/result.txt", command);
  }

  private static Tier small() {
    return TestRuns.PROJECT_TIERS.get("Small");
  }

  @Test
  void aRunSucceedsAndItsOutputAndLogComeBack() throws Exception {
    RunHandle run = backend.submit(spec(small(), null, "sh", "-c",
        "mkdir -p out && cat input.txt > out/result.txt && echo \"job $SLURM_JOB_ID in $SLURM_JOB_PARTITION\""));

    RunState state = awaitFinished(List.of(run), Duration.ofMinutes(2)).get(run);

    assertThat(state).isEqualTo(new RunState(RunStatus.SUCCEEDED, 0, ""));
    Path fetched = shared.resolve("fetched.txt");
    assertThat(backend.fetch(run, "out/result.txt", fetched)).isTrue();
    assertThat(fetched).hasContent("from the snapshot");
    assertThat(new String(backend.readLog(run, 0), StandardCharsets.UTF_8)).isEqualTo("job " + run.id() + " in small\n");
    assertThat(backend.fetch(run, "out/missing.txt", shared.resolve("missing.txt"))).isFalse();
  }

  @Test
  void aFailingCommandFailsWithItsExitCodeAndTheJobsStateAndReason() throws Exception {
    RunHandle run = backend.submit(spec(small(), null, "sh", "-c", "echo 'no such input' >&2; exit 3"));

    RunState state = awaitFinished(List.of(run), Duration.ofMinutes(2)).get(run);

    assertThat(state).isEqualTo(new RunState(RunStatus.FAILED, 3, "Slurm job " + run.id() + " FAILED (NonZeroExitCode)"));
    assertThat(new String(backend.readLog(run, 0), StandardCharsets.UTF_8)).isEqualTo("no such input\n");
  }

  @Test
  void aRunOverItsTimeLimitFailsAsTimeout() throws Exception {
    // Slurm keeps limits in whole minutes and checks them every 30 s: 5 s means 60 to 90 s.
    RunHandle run = backend.submit(spec(small(), Duration.ofSeconds(5), "sleep", "600"));
    long start = System.nanoTime();

    RunState state = awaitFinished(List.of(run), Duration.ofMinutes(4)).get(run);

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.println("[sluice-slurm] a 5 s time limit stopped the job after " + took.toSeconds() + " s");
    assertThat(state.status()).isEqualTo(RunStatus.FAILED);
    assertThat(state.reason()).startsWith("Slurm job " + run.id() + " TIMEOUT (TimeLimit): the time limit of 00:00:05"
        + " (Slurm rounds limits up to whole minutes) was reached")
        .contains("DUE TO TIME LIMIT");
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(55));
  }

  @Test
  void aRunOverItsTiersMemoryIsKilledAndSaysSo() throws Exception {
    assumeTrue(SlurmCluster.config("JobAcctGatherParams").contains("OverMemoryKill"),
        "this cluster does not enforce memory (no cgroups and no JobAcctGatherParams=OverMemoryKill)");
    Tier tier = TestRuns.tier("small", 100);
    RunHandle run = backend.submit(spec(tier, null, "perl", "-e", "$x = 'x' x (400 * 1024 * 1024); sleep 60"));

    RunState state = awaitFinished(List.of(run), Duration.ofMinutes(2)).get(run);

    assertThat(state.status()).isEqualTo(RunStatus.FAILED);
    assertThat(state.reason()).startsWith("Slurm job " + run.id() + " ")
        .contains("the run used more memory than its tier Test allows (100 MiB)")
        .contains("Exceeded job memory limit");
  }

  @Test
  void aCancelledRunIsCancelledAndLeavesTheQueue() throws Exception {
    RunHandle run = backend.submit(spec(small(), null, "sleep", "600"));
    awaitStatus(run, RunStatus.RUNNING, Duration.ofMinutes(1));

    backend.cancel(run);
    RunState state = awaitFinished(List.of(run), Duration.ofMinutes(1)).get(run);

    assertThat(state).isEqualTo(new RunState(RunStatus.CANCELLED, null, "Slurm job " + run.id() + " CANCELLED"));
    assertThat(SlurmCluster.unfinishedJobs(run.id())).isEmpty();
  }

  @Test
  void manyRunsArePolledWithOneSqueueCallPerPoll() throws Exception {
    List<RunHandle> runs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      runs.add(backend.submit(spec(small(), null, "sh", "-c", "sleep 0.5")));
    }

    Map<RunHandle, RunState> states = awaitFinished(runs, Duration.ofMinutes(3));

    assertThat(states.values()).allMatch(state -> state.status() == RunStatus.SUCCEEDED);
    assertThat(squeueCalls).hasSize(polls);
    // The first poll asked about all twelve jobs at once.
    assertThat(squeueCalls.get(0).get(5).split(",")).containsExactlyInAnyOrderElementsOf(
        runs.stream().map(RunHandle::id).toList());
    System.out.println("[sluice-slurm] 12 runs: " + polls + " polls, " + squeueCalls.size() + " squeue calls");
  }

  @Test
  void aRunOutlivesARestartOfSlurmctld() throws Exception {
    SlurmCluster.assumeControllerCanBeRestarted();
    backend.close();
    backend = backend(Duration.ofSeconds(3)); // polls fail fast while the controller is away
    RunHandle run = backend.submit(spec(small(), null, "sh", "-c", "sleep 20; mkdir -p out; echo survived > out/result.txt"));
    awaitStatus(run, RunStatus.RUNNING, Duration.ofMinutes(1));

    SlurmCluster.stopController();
    try {
      long away = System.nanoTime() + Duration.ofSeconds(8).toNanos();
      while (System.nanoTime() < away) {
        pollOnce(List.of(run), new HashMap<>());
        Thread.sleep(200);
      }
    } finally {
      SlurmCluster.startController();
    }
    RunState state = awaitFinished(List.of(run), Duration.ofMinutes(2)).get(run);

    assertThat(pollErrors).isNotEmpty();
    assertThat(state).isEqualTo(new RunState(RunStatus.SUCCEEDED, 0, ""));
    Path fetched = shared.resolve("fetched.txt");
    assertThat(backend.fetch(run, "out/result.txt", fetched)).isTrue();
    assertThat(fetched).hasContent("survived");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Small", "Large", "GPU"})
  void everyTierOfTheProjectRunsOnItsPartition(String tierName) throws Exception {
    Tier tier = TestRuns.PROJECT_TIERS.get(tierName);
    RunHandle run = backend.submit(spec(tier, null, "sh", "-c",
        "echo \"$SLURM_JOB_PARTITION $SLURM_CPUS_PER_TASK $SLURM_MEM_PER_NODE\""));

    RunState state = awaitFinished(List.of(run), Duration.ofMinutes(2)).get(run);

    assertThat(state.status()).as(state.toString()).isEqualTo(RunStatus.SUCCEEDED);
    String partition = String.valueOf(tier.optionsFor("slurm").get("partition"));
    assertThat(new String(backend.readLog(run, 0), StandardCharsets.UTF_8))
        .isEqualTo(partition + " " + tier.cpus() + " " + tier.memoryMb() + "\n");
  }

  @Test
  void aRunSlurmRefusesFailsAtSubmissionSayingWhy() {
    RunSpec spec = spec(TestRuns.tier("nosuchpartition", 0), null, "true");

    assertThatThrownBy(() -> backend.submit(spec)).isInstanceOf(IOException.class)
        .hasMessageContaining("sbatch refused run " + spec.runId() + " of tier Test")
        .hasMessageContaining("Invalid partition name specified");
  }

  @Test
  void aRunOverItsPartitionsLimitsFailsAndLeavesNothingInTheQueue() throws Exception {
    RunSpec spec = spec(TestRuns.tier("small", 4096), null, "true"); // small has MaxMemPerNode=2048

    if (SlurmCluster.config("EnforcePartLimits").equals("ALL")) {
      assertThatThrownBy(() -> backend.submit(spec)).isInstanceOf(IOException.class)
          .hasMessageContaining("Memory required by task is not available");
    } else {
      RunHandle run = backend.submit(spec);
      RunState state = awaitFinished(List.of(run), Duration.ofMinutes(1)).get(run);
      assertThat(state.status()).isEqualTo(RunStatus.FAILED);
      assertThat(state.reason()).contains("would wait forever");
      assertThat(SlurmCluster.unfinishedJobs(run.id())).isEmpty();
    }
  }

  /** Polls the unfinished runs like the remote session does: a failed poll is retried. */
  private Map<RunHandle, RunState> awaitFinished(List<RunHandle> runs, Duration max) throws InterruptedException {
    Map<RunHandle, RunState> last = new HashMap<>();
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      List<RunHandle> open = runs.stream().filter(r -> last.get(r) == null || !last.get(r).status().finished()).toList();
      if (open.isEmpty()) {
        return last;
      }
      if (System.nanoTime() > deadline) {
        fail("not finished after " + max.toSeconds() + " s: " + last + ", poll errors: " + pollErrors);
      }
      pollOnce(open, last);
      Thread.sleep(200);
    }
  }

  private void awaitStatus(RunHandle run, RunStatus status, Duration max) throws InterruptedException {
    Map<RunHandle, RunState> last = new HashMap<>();
    long deadline = System.nanoTime() + max.toNanos();
    while (last.get(run) == null || last.get(run).status() != status) {
      if (System.nanoTime() > deadline || last.get(run) != null && last.get(run).status().finished()) {
        fail("run " + run + " is " + last.get(run) + " after " + max.toSeconds() + " s, not " + status);
      }
      pollOnce(List.of(run), last);
      Thread.sleep(200);
    }
  }

  private void pollOnce(List<RunHandle> runs, Map<RunHandle, RunState> into) {
    try {
      polls++;
      into.putAll(backend.poll(runs));
    } catch (IOException e) {
      pollErrors.add(e);
    }
  }
}
