package io.sluice.domino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.Settings;
import io.sluice.Sleeper;
import io.sluice.domino.emulator.DominoEmulator;
import io.sluice.domino.emulator.EmulatedRun;
import io.sluice.remote.Tier;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend against the emulator: real HTTP, real processes, real files. */
class DominoBackendTest {

  static final Tier SMALL = new Tier("Small", 1, 0, 0, null, 0, Map.of("domino", Map.of("tier", "Small")));
  static final String GIT_COMMIT = "1111111111111111111111111111111111111111";

  @TempDir Path dir;
  DominoEmulator emulator;
  DominoBackend backend;
  Path snapshot;

  @BeforeEach
  void start() throws Exception {
    emulator = DominoEmulator.start(DominoEmulator.Options.defaults().port(0).apiKey("test-key")
        .dataDir(dir.resolve("emulator")));
    backend = backend(Map.of());
    snapshot = Files.createDirectories(dir.resolve("snapshot"));
    Files.writeString(snapshot.resolve("input.txt"), "hello\n");
  }

  @AfterEach
  void stop() throws Exception {
    backend.close();
    emulator.close();
  }

  DominoBackend backend(Map<String, String> extraEnvironment) {
    Map<String, String> environment = new HashMap<>(Map.of("DOMINO_API_HOST", emulator.url().toString(),
        "DOMINO_USER_API_KEY", "test-key"));
    environment.putAll(extraEnvironment);
    Settings settings = new Settings(Map.of("remote", Map.of("domino",
        Map.of("owner", "sluice", "project", "sluice-examples", "poll_interval", "50ms", "retry_window", "1m"))));
    return DominoBackendProvider.create(dir.resolve("project"), dir.resolve("state"), settings, environment,
        Clock.systemUTC(), Sleeper.system());
  }

  RunSpec spec(String runId, List<String> command, Path snapshot, String commit) {
    return new RunSpec(runId, "Task", command, SMALL, snapshot, commit, List.of(), Map.of(), null, "", "out.txt");
  }

  RunSpec shell(String runId, String script) {
    return spec(runId, List.of("sh", "-c", script), snapshot, GIT_COMMIT);
  }

  static RunState awaitEnd(DominoBackend backend, RunHandle run) throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    RunState state;
    while (!(state = backend.poll(List.of(run)).get(run)).status().finished()) {
      assertThat(Instant.now()).as("run still %s", state).isBefore(deadline);
      Thread.sleep(20);
    }
    return state;
  }

  @Test
  void aRunAtAGitCommitRunsOnItsUploadedFilesAndItsOutputComesBackFromTheOutputCommit() throws Exception {
    RunHandle run = backend.submit(shell("run-1", "tr a-z A-Z < input.txt > out.txt; echo done"));

    RunState state = awaitEnd(backend, run);

    assertThat(state.status()).isEqualTo(RunStatus.SUCCEEDED);
    Path fetched = dir.resolve("fetched.txt");
    assertThat(backend.fetch(run, "out.txt", fetched)).isTrue();
    assertThat(fetched).hasContent("HELLO");
    assertThat(new String(backend.readLog(run, 0), StandardCharsets.UTF_8)).contains("done");
    assertThat(backend.fetch(run, "missing.txt", dir.resolve("none"))).isFalse();
    EmulatedRun emulated = emulator.run(run.id()).orElseThrow();
    assertThat(emulated.tier()).isEqualTo("Small");
    assertThat(emulator.filesAt(emulated.commitId())).containsKey("input.txt");
  }

  @Test
  void aGitCommitIsUploadedOnceAndOnlyItsChangedFilesAreUploadedForTheNextCommit() throws Exception {
    Files.writeString(snapshot.resolve("other.txt"), "same\n");
    String first = backend.uploads().commitFor(GIT_COMMIT, snapshot, List.of());
    assertThat(backend.uploads().filesUploaded()).isEqualTo(2);

    // Again, and by a new driver reading the records: nothing uploaded, the same Domino commit.
    assertThat(backend.uploads().commitFor(GIT_COMMIT, snapshot, List.of())).isEqualTo(first);
    DominoBackend next = backend(Map.of());
    assertThat(next.uploads().commitFor(GIT_COMMIT, snapshot, List.of())).isEqualTo(first);
    assertThat(next.uploads().filesUploaded()).isZero();
    String head = emulator.headCommit();

    Files.writeString(snapshot.resolve("input.txt"), "changed\n");
    String second = next.uploads().commitFor("2222222222222222222222222222222222222222", snapshot, List.of());

    assertThat(next.uploads().filesUploaded()).isEqualTo(1);
    assertThat(second).isNotEqualTo(first).isNotEqualTo(head);
    assertThat(new String(emulator.filesAt(second).get("input.txt"), StandardCharsets.UTF_8)).isEqualTo("changed\n");
    assertThat(new String(emulator.filesAt(first).get("input.txt"), StandardCharsets.UTF_8)).isEqualTo("hello\n");
  }

  @Test
  void aJavaCommandRunsWithTheRuntimeUploadedWithItsCommit() throws Exception {
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Files.writeString(classes.resolve("marker.txt"), "on the classpath\n");
    Files.writeString(snapshot.resolve("Show.java"), """
        public class Show {
          public static void main(String[] args) throws Exception {
            var in = Show.class.getClassLoader().getResourceAsStream("marker.txt");
            java.nio.file.Files.write(java.nio.file.Path.of("out.txt"), in.readAllBytes());
            System.out.println("run " + System.getenv("SLUICE_RUN_ID") + " " + args[0]);
          }
        }
        """);
    RunSpec spec = new RunSpec("run-java", "Task", List.of("Show.java", "arg"), SMALL, snapshot, GIT_COMMIT,
        List.of(classes), Map.of(), null, "", "out.txt");

    RunHandle run = backend.submit(spec);

    assertThat(awaitEnd(backend, run).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(backend.fetch(run, "out.txt", dir.resolve("fetched"))).isTrue();
    assertThat(dir.resolve("fetched")).hasContent("on the classpath");
    assertThat(new String(backend.readLog(run, 0), StandardCharsets.UTF_8)).contains("run run-java arg");
  }

  @Test
  void aFailedRunSaysFailedWithItsExitCodeAndItsStdoutIsThereToQuote() throws Exception {
    RunHandle run = backend.submit(shell("run-f", "echo oops; echo 'disk on fire' >&2; exit 3"));
    RunState state = awaitEnd(backend, run);

    assertThat(state.status()).isEqualTo(RunStatus.FAILED);
    assertThat(state.exitCode()).isEqualTo(3);
    assertThat(state.reason()).contains("Domino status Failed");
    assertThat(new String(backend.readLog(run, 0), StandardCharsets.UTF_8)).contains("oops").contains("disk on fire");
  }

  @Test
  void aNewDriverFollowsARunByItsDominoIdOrWhenNoIdWasRecordedByItsRunIdInTheTitle() throws Exception {
    RunSpec spec = shell("run-r", "sleep 0.5; echo x > out.txt");
    RunHandle run = backend.submit(spec);
    DominoBackend next = backend(Map.of());

    RunHandle byId = next.reattach(spec, run.id()).orElseThrow();
    RunHandle byTitle = next.reattach(spec, "").orElseThrow();

    assertThat(byId.id()).isEqualTo(run.id());
    assertThat(byTitle.id()).isEqualTo(run.id());
    assertThat(awaitEnd(next, byId).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(next.reattach(shell("run-never", "true"), "")).isEmpty();
    next.close();
  }

  @Test
  void aSystemErrorOfDominoIsAFailureThatSaysError() throws Exception {
    emulator.faults().nextRunEndsIn("Error");

    RunState state = awaitEnd(backend, backend.submit(shell("run-e", "echo fine > out.txt")));

    assertThat(state.status()).isEqualTo(RunStatus.FAILED);
    assertThat(state.reason()).contains("Domino status Error").contains("system error");
  }

  @Test
  void aStoppedRunIsCancelledAndItsProcessEnds() throws Exception {
    RunHandle run = backend.submit(shell("run-s", "echo started; sleep 60; echo late > out.txt"));
    awaitStatus(run.id(), "Running");

    backend.cancel(run);

    RunState state = awaitEnd(backend, run);
    assertThat(state.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(state.reason()).contains("Stopped");
    assertThat(emulator.filesAt(emulator.run(run.id()).orElseThrow().outputCommitId())).doesNotContainKey("out.txt");
  }

  @Test
  void closingTheBackendStopsEveryRunStillGoing() throws Exception {
    RunHandle done = backend.submit(shell("run-c", "true"));
    awaitEnd(backend, done);
    RunHandle a = backend.submit(shell("run-a", "sleep 60"));
    RunHandle b = backend.submit(shell("run-b", "sleep 60"));
    awaitStatus(a.id(), "Running");

    backend.close();

    assertThat(emulator.awaitCompleted(a.id(), Duration.ofSeconds(30)).status()).isEqualTo("Stopped");
    assertThat(emulator.awaitCompleted(b.id(), Duration.ofSeconds(30)).status()).isEqualTo("Stopped");
    assertThat(emulator.run(done.id()).orElseThrow().status()).isEqualTo("Succeeded");
  }

  @Test
  void aRunMissingFromTheListIsAskedForByIdAndStillFollowed() throws Exception {
    RunHandle run = backend.submit(shell("run-h", "sleep 0.3; echo x > out.txt"));
    emulator.faults().hideRunFromList(run.id(), Duration.ofSeconds(30));

    assertThat(awaitEnd(backend, run).status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void burstsOf5xxConflictsAndSlowAnswersAreRiddenOut() throws Exception {
    emulator.faults().failNextRequests(503, 4);
    RunHandle run = backend.submit(shell("run-t", "sleep 0.5; echo x > out.txt"));
    emulator.faults().failRequests(502, Duration.ofMillis(700)).rejectNextWithConflict(3)
        .delayResponses(Duration.ofMillis(200), Duration.ofSeconds(1));

    assertThat(awaitEnd(backend, run).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(backend.fetch(run, "out.txt", dir.resolve("fetched"))).isTrue();
  }

  @Test
  void insideADominoRunTheDefaultCommitIsThatRunsInputCommit() throws Exception {
    Files.writeString(snapshot.resolve("input.txt"), "inside\n");
    String commit = emulator.commitFiles(snapshot);
    RunHandle driver = backend.submit(spec("run-d", List.of("sh", "-c", "sleep 30"), null, commit));
    Files.writeString(snapshot.resolve("input.txt"), "a later head\n");
    emulator.commitFiles(snapshot);

    DominoBackend inside = backend(Map.of("DOMINO_RUN_ID", driver.id()));

    assertThat(inside.ownCommit(null)).contains(commit);
    RunHandle sibling = inside.submit(spec("run-sib", List.of("sh", "-c", "cp input.txt out.txt"), null, commit));
    assertThat(awaitEnd(inside, sibling).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(inside.fetch(sibling, "out.txt", dir.resolve("fetched"))).isTrue();
    assertThat(dir.resolve("fetched")).hasContent("inside");
    inside.close();
  }

  @Test
  void outsideDominoTheDefaultIsTheGitCommitAndA40HexIdGitDoesNotKnowIsADominoCommit() throws Exception {
    assertThat(backend.ownCommit(null)).isEmpty();
    assertThat(backend.ownCommit("main")).isEmpty();
    String domino = emulator.commitFiles(snapshot);
    assertThat(backend.ownCommit(domino.toUpperCase())).contains(domino);
  }

  @Test
  void anOutputThatIsADirectoryOrLeavesTheWorkspaceIsRefused() throws Exception {
    RunHandle run = backend.submit(shell("run-o", "mkdir -p out.txt && echo x > out.txt/inner"));
    assertThat(awaitEnd(backend, run).status()).isEqualTo(RunStatus.SUCCEEDED);

    assertThatThrownBy(() -> backend.fetch(run, "out.txt", dir.resolve("f")))
        .hasMessageContaining("is a directory");
    assertThatThrownBy(() -> backend.fetch(run, "../../etc/passwd", dir.resolve("f")))
        .hasMessageContaining("leaves the workspace");
  }

  @Test
  void aTierWithoutDominoMappingIsNamedWithTheFix() {
    Tier large = new Tier("Large", 1, 0, 0, null, 0, Map.of());
    RunSpec spec = new RunSpec("run-x", "Task", List.of("true"), large, snapshot, GIT_COMMIT, List.of(), Map.of(),
        null, "", "out.txt");

    assertThatThrownBy(() -> backend.submit(spec))
        .hasMessageContaining("Tier 'Large' has no Domino hardware tier")
        .hasMessageContaining("[tiers.Large.domino] tier = ");
  }

  void awaitStatus(String runId, String status) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    while (!emulator.run(runId).orElseThrow().status().equals(status)) {
      assertThat(Instant.now()).as("run %s never %s", runId, status).isBefore(deadline);
      Thread.sleep(20);
    }
  }
}
