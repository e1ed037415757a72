package io.sluice.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.sluice.remote.Tier;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBackendTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Tier SMALL = tier("Small", 0, 0, null);

  @TempDir Path dir;
  private Path snapshot;
  private LocalBackend backend;
  private final Object changes = new Object();
  private int runs;

  private static Tier tier(String name, long memoryMb, int maxParallel, Duration timeLimit) {
    return new Tier(name, 1, memoryMb, 0, timeLimit, maxParallel, Map.of());
  }

  @BeforeEach
  void createBackend() throws IOException {
    snapshot = dir.resolve("snapshot");
    Files.createDirectories(snapshot.resolve("sub"));
    Files.writeString(snapshot.resolve("input.txt"), "from the snapshot\n");
    Files.writeString(snapshot.resolve("sub/inner.txt"), "inner\n");
    backend = new LocalBackend(dir.resolve("runs"));
    backend.onChange(() -> {
      synchronized (changes) {
        changes.notifyAll();
      }
    });
  }

  @AfterEach
  void closeBackend() {
    backend.close();
  }

  private RunSpec spec(Tier tier, String... command) {
    return spec(tier, Map.of(), null, "", List.of(command));
  }

  private RunSpec spec(Tier tier, Map<String, String> environment, Duration timeout, String workdir,
      List<String> command) {
    String id = "run-" + ++runs;
    return new RunSpec(id, "Test(" + id + ")", command, tier, snapshot, "0123456789abcdef", List.of(),
        environment, timeout, workdir, "out.txt");
  }

  private RunHandle submit(Tier tier, String... command) throws IOException {
    return backend.submit(spec(tier, command));
  }

  private RunState state(RunHandle run) throws IOException {
    return backend.poll(List.of(run)).get(run);
  }

  /** Waits until the run is over, woken by the backend's change notices. */
  private RunState awaitEnd(RunHandle run) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      RunState state = state(run);
      if (state.status().finished()) {
        return state;
      }
      assertThat(Instant.now()).as("%s still %s after %s", run, state, WAIT).isBefore(deadline);
      synchronized (changes) {
        changes.wait(200);
      }
    }
  }

  /** Waits for a file the command writes, which the backend is not told of. */
  private static Path awaitFile(Path file) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (!Files.exists(file) || readQuietly(file).isBlank() || !readQuietly(file).endsWith("\n")) {
      assertThat(Instant.now()).as("waiting for %s", file).isBefore(deadline);
      Thread.sleep(20);
    }
    return file;
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private Path workspace(RunHandle run) {
    return dir.resolve("runs").resolve(run.id()).resolve(RunFiles.WORKSPACE);
  }

  private String fetched(RunHandle run, String path) throws IOException {
    Path destination = dir.resolve("fetched-" + run.id());
    assertThat(backend.fetch(run, path, destination)).as("%s produced %s", run, path).isTrue();
    return Files.readString(destination);
  }

  private String log(RunHandle run) throws IOException {
    return new String(backend.readLog(run, 0), StandardCharsets.UTF_8);
  }

  private long timestamp(RunHandle run, String name) throws IOException {
    return Long.parseLong(Files.readString(workspace(run).resolve(name)).trim());
  }

  private static boolean running(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static void awaitGone(long pid, Duration within) throws InterruptedException {
    Instant deadline = Instant.now().plus(within);
    while (running(pid)) {
      assertThat(Instant.now()).as("process %d still runs", pid).isBefore(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void aSuccessfulCommandSucceedsAndItsOutputIsFetched() throws Exception {
    RunHandle run = submit(SMALL, "sh", "-c", "cat input.txt > out.txt; echo done");

    RunState state = awaitEnd(run);

    assertThat(state.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(state.exitCode()).isZero();
    assertThat(run.backend()).isEqualTo("local");
    assertThat(fetched(run, "out.txt")).isEqualTo("from the snapshot\n");
    assertThat(log(run)).isEqualTo("done\n");
  }

  @Test
  void aFailingCommandFailsWithItsExitCodeAndItsLogIsReadable() throws Exception {
    RunHandle run = submit(SMALL, "sh", "-c", "echo first line; echo something broke >&2; exit 3");

    RunState state = awaitEnd(run);

    assertThat(state.status()).isEqualTo(RunStatus.FAILED);
    assertThat(state.exitCode()).isEqualTo(3);
    assertThat(state.toString()).contains("exit code 3");
    assertThat(log(run)).isEqualTo("first line\nsomething broke\n");
    assertThat(new String(backend.readLog(run, "first line\n".length()), StandardCharsets.UTF_8))
        .isEqualTo("something broke\n");
    assertThat(backend.readLog(run, log(run).length())).isEmpty();
  }

  @Test
  void aProgramThatDoesNotExistFailsWithItsShellsWords() throws Exception {
    RunHandle run = submit(SMALL, "no-such-program-anywhere", "--flag");

    RunState state = awaitEnd(run);

    assertThat(state.status()).isEqualTo(RunStatus.FAILED);
    assertThat(state.exitCode()).isEqualTo(127);
    assertThat(log(run)).contains("no-such-program-anywhere");
  }

  @Test
  void aCommandThatSucceedsWithoutItsOutputHasNothingToFetch() throws Exception {
    RunHandle run = submit(SMALL, "sh", "-c", "echo forgot to write out.txt");
    Path destination = dir.resolve("fetched.txt");

    assertThat(awaitEnd(run).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(backend.fetch(run, "out.txt", destination)).isFalse();
    assertThat(destination).doesNotExist();
  }

  @Test
  void fetchRefusesAPathThatLeavesTheWorkspace() throws Exception {
    RunHandle run = submit(SMALL, "true");
    awaitEnd(run);

    assertThatThrownBy(() -> backend.fetch(run, "../run.sh", dir.resolve("stolen")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("leaves the workspace");
  }

  @Test
  void theCommandStartsInItsWorkdirWithItsEnvironment() throws Exception {
    RunHandle run = backend.submit(spec(SMALL, Map.of("GREETING", "it's me"), null, "sub",
        List.of("sh", "-c", "echo \"$GREETING $SLUICE_COMMIT $SLUICE_TIER\" > out.txt; cat inner.txt >> out.txt")));

    assertThat(awaitEnd(run).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(fetched(run, "out.txt")).isEqualTo("it's me 0123456789abcdef Small\ninner\n");
    // That a run cannot change what later runs at the commit see: SnapshotReuseTest.
  }

  @Test
  void maxParallelOneRunsTheTiersRunsOneAfterTheOther() throws Exception {
    Tier one = tier("Large", 0, 1, null);
    String command = "date +%s%N > start; sleep 1; date +%s%N > end";
    RunHandle first = submit(one, "sh", "-c", command);
    RunHandle second = submit(one, "sh", "-c", command);

    RunState waiting = state(second);
    assertThat(waiting.status()).isEqualTo(RunStatus.QUEUED);
    assertThat(waiting.reason()).contains("Large").contains("max_parallel 1");
    assertThat(awaitEnd(first).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(awaitEnd(second).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(timestamp(second, "start")).isGreaterThanOrEqualTo(timestamp(first, "end"));
  }

  @Test
  void maxParallelTwoRunsTwoAtOnce() throws Exception {
    Tier two = tier("Large", 0, 2, null);
    // long enough that a slow start of the second does not hide the overlap
    String command = "date +%s%N > start; sleep 2; date +%s%N > end";
    RunHandle first = submit(two, "sh", "-c", command);
    RunHandle second = submit(two, "sh", "-c", command);

    assertThat(state(second).status()).isEqualTo(RunStatus.RUNNING);
    assertThat(awaitEnd(first).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(awaitEnd(second).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(timestamp(second, "start")).isLessThan(timestamp(first, "end"));
    assertThat(timestamp(first, "start")).isLessThan(timestamp(second, "end"));
  }

  @Test
  void tiersHaveTheirOwnLimits() throws Exception {
    RunHandle large = submit(tier("Large", 0, 1, null), "sleep", "30");
    RunHandle small = submit(tier("Small", 0, 1, null), "true");

    assertThat(awaitEnd(small).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(state(large).status()).isEqualTo(RunStatus.RUNNING);
  }

  @Test
  void cancelKillsTheWholeProcessTree() throws Exception {
    RunHandle run = submit(SMALL, "sh", "-c", "sleep 300 & echo $! > child.pid; wait");
    long child = Long.parseLong(Files.readString(awaitFile(workspace(run).resolve("child.pid"))).trim());
    assertThat(running(child)).isTrue();

    backend.cancel(run);

    awaitGone(child, Duration.ofSeconds(10));
    assertThat(state(run).status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(awaitEnd(run).status()).isEqualTo(RunStatus.CANCELLED);
  }

  @Test
  void aCancelledQueuedRunNeverStarts() throws Exception {
    Tier one = tier("Large", 0, 1, null);
    RunHandle first = submit(one, "sleep", "1");
    RunHandle cancelled = submit(one, "sh", "-c", "echo ran > out.txt");
    RunHandle last = submit(one, "true");

    backend.cancel(cancelled);

    assertThat(state(cancelled).status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(awaitEnd(first).status()).isEqualTo(RunStatus.SUCCEEDED);
    // the queue is served in order: once the last run is over, the cancelled one had its turn
    assertThat(awaitEnd(last).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(state(cancelled).status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(workspace(cancelled).resolve("out.txt")).doesNotExist();
  }

  @Test
  void cancellingARunThatIsOverChangesNothing() throws Exception {
    RunHandle run = submit(SMALL, "sh", "-c", "echo hi > out.txt");
    awaitEnd(run);

    backend.cancel(run);

    assertThat(state(run).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(fetched(run, "out.txt")).isEqualTo("hi\n");
  }

  @Test
  void closingTheBackendCancelsItsActiveRuns() throws Exception {
    RunHandle run = submit(SMALL, "sh", "-c", "sleep 300 & echo $! > child.pid; wait");
    long child = Long.parseLong(Files.readString(awaitFile(workspace(run).resolve("child.pid"))).trim());

    backend.close();

    awaitGone(child, Duration.ofSeconds(10));
    assertThat(state(run).status()).isEqualTo(RunStatus.CANCELLED);
  }

  @Test
  void theTiersTimeLimitStopsTheRunWithWhatItStartedAndTheReasonSaysSo() throws Exception {
    Instant start = Instant.now();
    RunHandle run = submit(tier("Small", 0, 0, Duration.ofSeconds(1)),
        "sh", "-c", "sleep 30 & echo $! > child.pid; wait");

    RunState state = awaitEnd(run);

    assertThat(state.status()).isEqualTo(RunStatus.FAILED);
    assertThat(state.reason()).contains("time limit");
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(20));
    awaitGone(Long.parseLong(Files.readString(workspace(run).resolve("child.pid")).trim()), Duration.ofSeconds(5));
  }

  @Test
  void theRunsOwnTimeoutWinsOverTheTiers() throws Exception {
    RunHandle run = backend.submit(spec(tier("Small", 0, 0, Duration.ofHours(1)), Map.of(), Duration.ofSeconds(1),
        "", List.of("sleep", "30")));

    RunState state = awaitEnd(run);

    assertThat(state.status()).isEqualTo(RunStatus.FAILED);
    assertThat(state.reason()).contains("time limit");
  }

  @Test
  void theTiersMemoryLimitsTheCommandsAddressSpace() throws Exception {
    RunHandle run = submit(tier("Small", 512, 0, null), "sh", "-c", "ulimit -v > out.txt");

    assertThat(awaitEnd(run).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(fetched(run, "out.txt")).isEqualTo(512 * 1024 + "\n");
  }

  @Test
  void theTiersCpusPinTheCommand() throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/bin/taskset"))).as("taskset is installed").isTrue();
    assumeThat(Runtime.getRuntime().availableProcessors()).as("more than one CPU").isGreaterThan(1);
    RunHandle run = submit(SMALL, "sh", "-c", "nproc > out.txt");

    assertThat(awaitEnd(run).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(fetched(run, "out.txt")).isEqualTo("1\n");
  }

  @Test
  void aJavaFileRunsWithTheSourceLauncherAndTheTiersHeap() throws Exception {
    Files.writeString(snapshot.resolve("Heap.java"), """
        public class Heap {
          public static void main(String[] args) throws Exception {
            java.nio.file.Files.writeString(java.nio.file.Path.of("out.txt"),
                args[0] + " " + Runtime.getRuntime().maxMemory() / (1024 * 1024));
          }
        }
        """);
    RunHandle run = submit(tier("Small", 400, 0, null), "Heap.java", "hello");

    assertThat(awaitEnd(run).status()).as(log(run)).isEqualTo(RunStatus.SUCCEEDED);
    String[] words = fetched(run, "out.txt").split(" ");
    assertThat(words[0]).isEqualTo("hello");
    // 3/4 of the tier's memory, less what the collector keeps for itself
    assertThat(Long.parseLong(words[1])).isBetween(250L, 300L);
  }

  @Test
  void oneCallPollsManyRunsAndAnswersForEach() throws Exception {
    RunHandle succeeded = submit(SMALL, "true");
    RunHandle failed = submit(SMALL, "sh", "-c", "exit 2");
    awaitEnd(succeeded);
    awaitEnd(failed);
    RunHandle active = submit(SMALL, "sleep", "30");
    RunHandle unknown = new RunHandle("local", "run-never-submitted", spec(SMALL, "true"));

    Map<RunHandle, RunState> states = backend.poll(List.of(succeeded, failed, active, unknown));

    assertThat(states).containsOnlyKeys(succeeded, failed, active, unknown);
    assertThat(states.get(succeeded).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(states.get(failed).status()).isEqualTo(RunStatus.FAILED);
    assertThat(states.get(failed).exitCode()).isEqualTo(2);
    assertThat(states.get(active).status()).isEqualTo(RunStatus.RUNNING);
    assertThat(states.get(unknown).status()).isEqualTo(RunStatus.FAILED);
    assertThat(states.get(unknown).reason()).contains("unknown run run-never-submitted");
  }
}
