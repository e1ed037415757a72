package io.sluice.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.remote.Tier;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new local backend (the backend of a new driver) follows a run an earlier one started in the
 * same work directory: finished, or still going in a process that survived.
 */
class LocalReattachTest {

  private static final Tier SMALL = new Tier("Small", 1, 0, 0, null, 0, Map.of());

  @TempDir Path dir;
  private LocalBackend earlier;
  private LocalBackend later;

  @BeforeEach
  void backends() throws Exception {
    Files.createDirectories(dir.resolve("snapshot"));
    earlier = new LocalBackend(dir.resolve("runs"));
    later = new LocalBackend(dir.resolve("runs"));
  }

  @AfterEach
  void close() {
    earlier.close();
    later.close();
  }

  private RunSpec spec(String script) {
    return new RunSpec("run-1", "Test", List.of("sh", "-c", script), SMALL, dir.resolve("snapshot"), "abc", List.of(),
        Map.of(), null, "", "out.txt");
  }

  private static RunState awaitEnd(LocalBackend backend, RunHandle run) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    RunState state;
    while (!(state = backend.poll(List.of(run)).get(run)).status().finished()) {
      assertThat(Instant.now()).as("run still %s", state).isBefore(deadline);
      Thread.sleep(20);
    }
    return state;
  }

  @Test
  void aFinishedRunOfAnEarlierBackendIsFollowedWithItsOutcome() throws Exception {
    RunSpec spec = spec("echo done > out.txt");
    awaitEnd(earlier, earlier.submit(spec));

    RunHandle adopted = later.reattach(spec, "run-1").orElseThrow();

    assertThat(awaitEnd(later, adopted).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(later.fetch(adopted, "out.txt", dir.resolve("fetched.txt"))).isTrue();
    assertThat(dir.resolve("fetched.txt")).hasContent("done");
  }

  @Test
  void aRunStillGoingIsFollowedUntilItEnds() throws Exception {
    Path go = dir.resolve("go");
    RunSpec spec = spec("while [ ! -e '" + go + "' ]; do sleep 0.05; done; echo late > out.txt");
    earlier.submit(spec);

    // The run's process shows its script among its arguments once it has executed its shell: a
    // few milliseconds after the submission returns (a later process reattaches much later).
    Instant deadline = Instant.now().plusSeconds(10);
    Optional<RunHandle> found;
    while ((found = later.reattach(spec, "run-1")).isEmpty() && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    RunHandle adopted = found.orElseThrow();
    assertThat(later.poll(List.of(adopted)).get(adopted).status()).isEqualTo(RunStatus.RUNNING);
    Files.writeString(go, "");

    assertThat(awaitEnd(later, adopted).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(later.fetch(adopted, "out.txt", dir.resolve("fetched.txt"))).isTrue();
  }

  @Test
  void aRunThatLeftNoTraceIsNotFollowed() {
    assertThat(later.reattach(spec("true"), "run-1")).isEmpty();
  }

  @Test
  void aFinishedRunIsFoundByItsRunIdWhenItsDriverDiedBeforeRecordingAnId() throws Exception {
    RunSpec spec = spec("echo done > out.txt");
    awaitEnd(earlier, earlier.submit(spec));

    RunHandle adopted = later.reattach(spec, "").orElseThrow();

    assertThat(adopted.id()).isEqualTo("run-1");
    assertThat(awaitEnd(later, adopted).status()).isEqualTo(RunStatus.SUCCEEDED);
  }
}
