package io.sluice.domino;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.Settings;
import io.sluice.Sleeper;
import io.sluice.domino.emulator.DominoEmulator;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pace of polling at the default poll interval, against the emulator: the backend's time is
 * a clock the test moves, the runs are real processes held at a gate file the test creates.
 */
class DominoPollingTest {

  @TempDir Path dir;
  DominoEmulator emulator;
  DominoBackend backend;
  Path snapshot;
  Path gate;

  @BeforeEach
  void start() throws Exception {
    emulator = DominoEmulator.start(DominoEmulator.Options.defaults().port(0).apiKey("test-key")
        .dataDir(dir.resolve("emulator")));
    snapshot = Files.createDirectories(dir.resolve("snapshot"));
    Files.writeString(snapshot.resolve("input.txt"), "hello\n");
    gate = dir.resolve("gate");
  }

  @AfterEach
  void stop() throws Exception {
    if (backend != null) {
      backend.close();
    }
    emulator.close();
  }

  /** A backend with the default poll interval (no poll_interval in sluice.toml). */
  DominoBackend backend(Clock clock) {
    Settings settings = new Settings(Map.of("remote", Map.of("domino",
        Map.of("owner", "sluice", "project", "sluice-examples", "retry_window", "1m"))));
    backend = DominoBackendProvider.create(dir.resolve("project"), dir.resolve("state"), settings,
        Map.of("DOMINO_API_HOST", emulator.url().toString(), "DOMINO_USER_API_KEY", "test-key"), clock,
        Sleeper.system());
    return backend;
  }

  /** A run that goes on until the test creates the gate file, then writes its output. */
  RunSpec gated(String runId) {
    String script = "while [ ! -e '" + gate + "' ]; do sleep 0.01; done; echo done > out.txt";
    return new RunSpec(runId, "Task", List.of("sh", "-c", script), DominoBackendTest.SMALL, snapshot,
        DominoBackendTest.GIT_COMMIT, List.of(), Map.of(), null, "", "out.txt");
  }

  @Test
  void theDefaultPollIntervalIsOneSecond() {
    assertThat(DominoConfig.from(new Settings(Map.of()), Map.of("DOMINO_API_HOST", "http://h",
        "DOMINO_PROJECT_OWNER", "o", "DOMINO_PROJECT_NAME", "p")).pollInterval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aShortRunIsSeenFinishedWithin100msOfItsEndAtTheDefaultInterval() throws Exception {
    MutableClock clock = new MutableClock();
    DominoBackend backend = backend(clock);
    RunHandle run = backend.submit(gated("run-short"));
    awaitStatus(run.id(), "Running");
    // A caller asking every 5 ms while the run goes on for 300 ms.
    for (int ms = 0; ms < 300; ms += 5) {
      assertThat(backend.poll(List.of(run)).get(run).status().finished()).isFalse();
      clock.advance(Duration.ofMillis(5));
    }

    Files.createFile(gate);
    emulator.awaitCompleted(run.id(), Duration.ofSeconds(30));
    Instant ended = clock.instant();
    RunState state;
    while (!(state = backend.poll(List.of(run)).get(run)).status().finished()) {
      assertThat(Duration.between(ended, clock.instant())).isLessThan(Duration.ofSeconds(5));
      clock.advance(Duration.ofMillis(5));
    }

    assertThat(state.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(Duration.between(ended, clock.instant())).isLessThanOrEqualTo(Duration.ofMillis(100));
  }

  @Test
  void aLongRunsListingsSlowToOncePerIntervalWhateverThePaceOfTheCaller() throws Exception {
    MutableClock clock = new MutableClock();
    DominoBackend backend = backend(clock);
    RunHandle run = backend.submit(gated("run-long"));
    awaitStatus(run.id(), "Running");
    long atStart = listings();

    // A caller asking every 10 ms for a minute.
    long atHalf = 0;
    for (int ms = 0; ms < 60_000; ms += 10) {
      if (ms == 30_000) {
        atHalf = listings();
      }
      assertThat(backend.poll(List.of(run)).get(run).status().finished()).isFalse();
      clock.advance(Duration.ofMillis(10));
    }
    assertThat(backend.poll(List.of(run)).get(run).status()).isEqualTo(RunStatus.RUNNING);

    // About 20 while the run is new (25 ms apart, then a quarter of its still time), then one a second.
    assertThat(atHalf - atStart).isBetween(30L, 60L);
    assertThat(listings() - atHalf).isBetween(29L, 31L);
    assertThat(emulator.requests("GET", emulator.runsPath() + "/" + run.id())).isZero();
  }

  @Test
  void aListenerIsToldOfTheEndOfARunWithoutAnyonePolling() throws Exception {
    DominoBackend backend = backend(Clock.systemUTC());
    AtomicReference<RunHandle> watched = new AtomicReference<>();
    List<RunStatus> told = new CopyOnWriteArrayList<>();
    // As the remote session does: told of a change, it asks (the listing just made answers).
    backend.onChange(() -> {
      if (watched.get() == null) {
        return;
      }
      try {
        told.add(backend.poll(List.of(watched.get())).get(watched.get()).status());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    RunHandle run = backend.submit(gated("run-told"));
    watched.set(run);
    Files.createFile(gate);

    emulator.awaitCompleted(run.id(), Duration.ofSeconds(30));

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!told.contains(RunStatus.SUCCEEDED)) {
      assertThat(System.nanoTime()).as("listener told %s", told).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void aWatcherTurnThatFindsNoListingDueStillPlansTheNextOne() throws Exception {
    MutableClock clock = new MutableClock();
    DominoBackend backend = backend(clock);
    backend.onChange(() -> { });
    RunHandle run = backend.submit(gated("run-watch"));
    // The backend's clock stands still meanwhile: the watcher's turns find no listing due.
    awaitStatus(run.id(), "Running");
    long before = listings();

    clock.advance(Duration.ofSeconds(1));

    Instant deadline = Instant.now().plusSeconds(10);
    while (listings() == before) {
      assertThat(Instant.now()).as("the watcher listed again on its own").isBefore(deadline);
      Thread.sleep(10);
    }
    assertThat(backend.poll(List.of(run)).get(run).status()).isEqualTo(RunStatus.RUNNING);
  }

  @Test
  void theLogAndTheOutputEntryOfARunSeenOverAreReadAheadOnceAndBothAtOnce() throws Exception {
    MutableClock clock = new MutableClock();
    DominoBackend backend = backend(clock);
    RunHandle run = backend.submit(gated("run-ahead"));
    Files.createFile(gate);
    emulator.awaitCompleted(run.id(), Duration.ofSeconds(30));
    while (!backend.poll(List.of(run)).get(run).status().finished()) {
      clock.advance(Duration.ofMillis(5));
    }
    String project = "/v1/projects/" + emulator.owner() + "/" + emulator.project();
    String stdout = project + "/run/" + run.id() + "/stdout";
    String files = project + "/files/" + emulator.run(run.id()).orElseThrow().outputCommitId() + "/out.txt";

    // Asked for before the driver reads anything.
    Instant deadline = Instant.now().plusSeconds(30);
    while (emulator.requests("GET", stdout) == 0 || emulator.requests("GET", files) == 0) {
      assertThat(Instant.now()).as("stdout and output entry read ahead").isBefore(deadline);
      Thread.sleep(5);
    }
    assertThat(new String(backend.readLog(run, 0), java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
    assertThat(backend.fetch(run, "out.txt", dir.resolve("fetched"))).isTrue();

    assertThat(dir.resolve("fetched")).hasContent("done");
    assertThat(emulator.requests("GET", stdout)).isEqualTo(1);
    assertThat(emulator.requests("GET", files)).isEqualTo(1);
  }

  long listings() {
    return emulator.requests("GET", emulator.runsPath());
  }

  void awaitStatus(String runId, String status) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    while (!emulator.run(runId).orElseThrow().status().equals(status)) {
      assertThat(Instant.now()).as("run %s never %s", runId, status).isBefore(deadline);
      Thread.sleep(20);
    }
  }
}
