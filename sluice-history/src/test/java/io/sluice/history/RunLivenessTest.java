package io.sluice.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run whose process died shows as lost, not running forever: by its heartbeat, and on this host by its pid. */
class RunLivenessTest {

  private static final String HERE = "this-host";

  @TempDir Path dir;

  private static RunInfo run(String id, String host, long pid, Instant startedAt) {
    return new RunInfo(id, "Root()", "sluice run Root", "alice", host, pid, "/p", null, StartedBy.TERMINAL, startedAt);
  }

  private static RunLiveness at(Instant now) {
    return new RunLiveness(Clock.fixed(now, ZoneOffset.UTC), HERE);
  }

  @Test
  void theWriterStampsTheRunsHeartbeatAndARunNotStampedForTheLimitIsLost() throws Exception {
    HistoryConfig config = HistoryConfig.sqlite(dir);
    FakeTime time = new FakeTime();
    Instant start = time.instant();
    try (HistoryRecorder recorder = HistoryRecorder.builder(config, run("r1", "other-host", 1, start))
        .clock(time).heartbeat(Duration.ofSeconds(10)).start()) {
      awaitWritten(recorder);  // the writer has created the schema: no second migration alongside its own
      awaitHeartbeat(config, start);
      time.advance(Duration.ofSeconds(10));
      awaitHeartbeat(config, start.plusSeconds(10));

      Instant beat = start.plusSeconds(10);
      try (HistoryDatabase history = HistoryDatabase.open(config, at(beat.plus(RunLiveness.LOST_AFTER)))) {
        RunRecord run = history.run("r1").orElseThrow();
        assertThat(run.heartbeatAt()).isEqualTo(beat);
        assertThat(run.running()).isTrue();
        assertThat(history.runs(new RunFilter(null, RunFilter.Outcome.RUNNING, null, null, null), 10)).hasSize(1);
      }
      try (HistoryDatabase history = HistoryDatabase.open(config,
          at(beat.plus(RunLiveness.LOST_AFTER).plusMillis(1)))) {
        assertThat(history.run("r1").orElseThrow().lost()).isTrue();
        assertThat(history.runs(new RunFilter(null, RunFilter.Outcome.RUNNING, null, null, null), 10)).isEmpty();
        assertThat(history.runs(new RunFilter(null, RunFilter.Outcome.LOST, null, null, null), 10)).hasSize(1);
      }
    }
    try (HistoryDatabase history = HistoryDatabase.open(config, at(start.plus(Duration.ofDays(1))))) {
      assertThat(history.run("r1").orElseThrow().lost()).as("an ended run is never lost").isFalse();
    }
  }

  @Test
  void aRunOfThisHostWhoseProcessIsGoneIsLostAtOnceAndOneWhoseProcessLivesIsNot() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Instant now = Instant.now();
    RunLiveness liveness = at(now);

    assertThat(liveness.lost(run("dead", HERE, gone.pid(), now.minusSeconds(5)), now)).isTrue();
    // A run starts after its process, and this test JVM may be only a second old: the run here
    // started 5 s ago, or just after the JVM when that is later.
    Instant afterThisProcessStarted = ProcessHandle.current().info().startInstant().orElseThrow().plusMillis(300);
    Instant aliveSince = afterThisProcessStarted.isAfter(now.minusSeconds(5)) ? afterThisProcessStarted : now.minusSeconds(5);
    assertThat(liveness.lost(run("alive", HERE, ProcessHandle.current().pid(), aliveSince), now)).isFalse();
    assertThat(liveness.lost(run("reused", HERE, ProcessHandle.current().pid(), Instant.EPOCH.plusSeconds(1)), now))
        .as("a pid now held by a process started after the run is not the run's").isTrue();
    assertThat(liveness.lost(run("elsewhere", "other-host", gone.pid(), now.minusSeconds(5)), now))
        .as("another host's pids say nothing here").isFalse();
  }

  @Test
  void aHeartbeatThatReadersWouldTakeForDeathIsRefused() {
    assertThatThrownBy(() -> HistoryRecorder.builder(HistoryConfig.sqlite(dir), run("r", HERE, 1, Instant.now()))
        .heartbeat(Duration.ofMinutes(5)))
        .hasMessageContaining("heartbeat is PT5M; it must be positive and shorter than PT1M");
  }

  private static void awaitWritten(HistoryRecorder recorder) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (recorder.written() == 0) {
      assertThat(Instant.now()).as("the run's start still not written").isBefore(deadline);
      Thread.sleep(20);
    }
  }

  /** Polls (the writer is a thread of its own) until the run's row holds this heartbeat. */
  private static void awaitHeartbeat(HistoryConfig config, Instant expected) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      try (HistoryDatabase history = HistoryDatabase.open(config, at(expected))) {
        Instant beat = history.run("r1").map(RunRecord::heartbeatAt).orElse(null);
        if (expected.equals(beat)) {
          return;
        }
        assertThat(Instant.now()).as("heartbeat %s, expected %s", beat, expected).isBefore(deadline);
      }
      Thread.sleep(20);
    }
  }
}
