package io.sluice.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.RemoteRunDetails;
import io.sluice.RemoteRunDetails.Phase;
import io.sluice.Task;
import io.sluice.TaskEvent;
import io.sluice.TaskId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDetailsTest {

  @TempDir
  Path dir;

  @Test
  void theStartedByVariableWinsOverTheTerminal() {
    assertThat(StartedBy.detect(Map.of("SLUICE_STARTED_BY", "schedule"), true)).isEqualTo(StartedBy.SCHEDULE);
    assertThat(StartedBy.detect(Map.of(), true)).isEqualTo(StartedBy.TERMINAL);
    assertThat(StartedBy.detect(Map.of(), false)).isEqualTo(StartedBy.CRON);
    assertThatThrownBy(() -> StartedBy.detect(Map.of("SLUICE_STARTED_BY", "jenkins"), true))
        .hasMessage("SLUICE_STARTED_BY=jenkins is not one of terminal, cron, schedule");
  }

  @Test
  void aPasswordInTheUrlIsNeverShown() {
    HistoryConfig config = new HistoryConfig("jdbc:postgresql://db:5432/h?user=u&password=s3cret", null, "pw");
    assertThat(config.where()).isEqualTo("jdbc:postgresql://db:5432/h?user=u&password=***");
    assertThat(config.toString()).doesNotContain("s3cret").doesNotContain("pw");
    assertThatThrownBy(() -> new HistoryConfig("jdbc:mysql://db/h", null, null))
        .hasMessageContaining("History URL 'jdbc:mysql://db/h' is neither jdbc:sqlite:FILE nor jdbc:postgresql://");
  }

  @Test
  void aRemoteRunsBackendRunIdTierCommitQueueAndRunTimesAreTakenFromItsEventsFieldsNotItsNoteText() throws Exception {
    HistoryConfig config = HistoryConfig.sqlite(dir);
    Task task = new Pipelines.Write(dir.toString(), "remote");
    TaskId id = TaskId.of(task);
    Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
    String commit = "0123456789abcdef0123456789abcdef01234567";
    RemoteRunDetails submitted = new RemoteRunDetails("slurm", "4711", "Large", commit, Phase.SUBMITTED);
    List<String> warnings = new ArrayList<>();
    try (HistoryRecorder recorder = HistoryRecorder.builder(config, HistoryRecorderTest.runInfo("r1", "Write"))
        .warnings(warnings::add).start()) {
      recorder.onEvent(event(TaskEvent.Kind.STARTED, id, task, t0, ""));
      // The texts are for people and may change: the fields alone are recorded.
      recorder.onEvent(note(id, task, t0.plusSeconds(1), "sent to the cluster", submitted));
      recorder.onEvent(note(id, task, t0.plusSeconds(11), "waiting: Resources", submitted.at(Phase.QUEUED)));
      recorder.onEvent(note(id, task, t0.plusSeconds(31), "on a machine now", submitted.at(Phase.RUNNING)));
      recorder.onEvent(note(id, task, t0.plusSeconds(61), "still going", submitted.at(Phase.RUNNING)));
      recorder.onEvent(note(id, task, t0.plusSeconds(91), "done", submitted.at(Phase.SUCCEEDED)));
      recorder.onEvent(event(TaskEvent.Kind.NOTE, id, task, t0.plusSeconds(91),
          "submitted (other run run-9, tier Small, commit ffffffffffff)"));
      recorder.onEvent(event(TaskEvent.Kind.SUCCEEDED, id, task, t0.plusSeconds(92), ""));
    }
    assertThat(warnings).isEmpty();
    try (HistoryDatabase history = HistoryDatabase.open(config)) {
      assertThat(history.tasks("r1")).singleElement().extracting(TaskRecord::remote).isEqualTo(new TaskRecord.Remote(
          "slurm", "4711", "Large", commit, Duration.ofSeconds(30), Duration.ofSeconds(60)));
    }
  }

  @Test
  void aRemoteRunThatNeverReportedRunningHasNoQueueOrRunTimeAndItsTaskEndEndsIt() throws Exception {
    HistoryConfig config = HistoryConfig.sqlite(dir);
    Task task = new Pipelines.Write(dir.toString(), "remote");
    TaskId id = TaskId.of(task);
    Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
    RemoteRunDetails adopted = new RemoteRunDetails("local", "run-1-2-3", "Small", "abc", Phase.REATTACHED);
    try (HistoryRecorder recorder = HistoryRecorder.builder(config, HistoryRecorderTest.runInfo("r2", "Write"))
        .start()) {
      recorder.onEvent(event(TaskEvent.Kind.STARTED, id, task, t0, ""));
      recorder.onEvent(note(id, task, t0.plusSeconds(1), "re-attached", adopted));
      recorder.onEvent(event(TaskEvent.Kind.FAILED, id, task, t0.plusSeconds(5), "boom"));
    }
    try (HistoryDatabase history = HistoryDatabase.open(config)) {
      assertThat(history.tasks("r2")).singleElement().extracting(TaskRecord::remote).isEqualTo(new TaskRecord.Remote(
          "local", "run-1-2-3", "Small", "abc", null, null));
    }
  }

  @Test
  void aRunIsFoundByTheBeginningOfItsIdUnlessSeveralRunsShareIt() throws Exception {
    HistoryConfig config = HistoryConfig.sqlite(dir);
    for (String id : List.of("20261130-101500-aaaaaa", "20261130-101500-bbbbbb", "20261201-000000-cccccc")) {
      HistoryRecorder.builder(config, HistoryRecorderTest.runInfo(id, "Write")).start().close();
    }
    try (HistoryDatabase history = HistoryDatabase.open(config)) {
      assertThat(history.run("20261201").orElseThrow().info().id()).isEqualTo("20261201-000000-cccccc");
      assertThat(history.run("20261130-101500-bbbbbb").orElseThrow().info().id()).isEqualTo("20261130-101500-bbbbbb");
      assertThat(history.run("2027")).isEmpty();
      assertThat(history.run("2026113_")).isEmpty();
      assertThatThrownBy(() -> history.run("20261130")).hasMessage("Run id '20261130' is the beginning of several"
          + " runs' ids (20261130-101500-aaaaaa, 20261130-101500-bbbbbb); give more of it");
    }
  }

  private static TaskEvent note(TaskId id, Task task, Instant at, String message, RemoteRunDetails remote) {
    return new TaskEvent(TaskEvent.Kind.NOTE, id, task, 1, at, Duration.ZERO, message, null, remote);
  }

  private static TaskEvent event(TaskEvent.Kind kind, TaskId id, Task task, Instant at, String message) {
    return new TaskEvent(kind, id, task, 1, at, Duration.ZERO, message, null);
  }
}
