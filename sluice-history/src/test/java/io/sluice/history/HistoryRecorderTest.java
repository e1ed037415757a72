package io.sluice.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.RunResult;
import io.sluice.Sluice;
import io.sluice.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HistoryRecorderTest {

  @TempDir
  Path dir;

  static RunInfo runInfo(String id, String root) {
    return new RunInfo(id, root, "sluice run " + root, "alice", "host-1", 4242, "/work/project", "0123abcd",
        StartedBy.TERMINAL, Instant.parse("2026-11-30T10:00:00Z"));
  }

  private RunResult runRecorded(HistoryConfig config, String runId, io.sluice.Task root, List<String> warnings) {
    RunResult result;
    try (HistoryRecorder history = HistoryRecorder.builder(config, runInfo(runId, root.getClass().getSimpleName()))
        .logDir(dir.resolve("state/logs")).warnings(warnings::add).start()) {
      result = Sluice.builder().workers(2).stateDir(dir.resolve("state")).listener(history).build().run(root);
    }
    return result;
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void everyTaskOfARunIsRecordedWithItsFinalStatusAttemptsErrorLogFileAndOutputs(TestDatabases database)
      throws Exception {
    HistoryConfig config = database.create(dir);
    List<String> warnings = new ArrayList<>();
    RunResult result = runRecorded(config, "run-1", new Pipelines.Mixed(dir.toString()), warnings);

    assertThat(warnings).isEmpty();
    try (HistoryDatabase history = HistoryDatabase.open(config)) {
      RunRecord run = history.run("run-1").orElseThrow();
      assertThat(run.info()).isEqualTo(runInfo("run-1", "Mixed"));
      assertThat(run.exitCode()).isEqualTo(result.exitCode().code()).isNotZero();
      assertThat(run.endedAt()).isNotNull();

      Map<String, TaskRecord> tasks = history.tasks("run-1").stream()
          .collect(Collectors.toMap(TaskRecord::family, Function.identity()));
      assertThat(tasks.keySet()).containsExactlyInAnyOrder("Mixed", "Write", "AfterFail", "Fail", "Flaky");
      TaskRecord write = tasks.get("Write");
      assertThat(write.status()).isEqualTo(TaskStatus.DONE.name());
      assertThat(write.attempts()).isEqualTo(1);
      assertThat(write.duration()).isEqualTo(Duration.between(write.startedAt(), write.endedAt()));
      assertThat(write.outputs()).isEqualTo(dir.resolve("a.txt").toString());
      assertThat(write.logFile()).startsWith(dir.resolve("state/logs").toString()).endsWith(".log");
      assertThat(write.params()).contains("\"name\":\"a\"");

      TaskRecord fail = tasks.get("Fail");
      assertThat(fail.status()).isEqualTo(TaskStatus.FAILED.name());
      assertThat(fail.error()).contains("the input is broken");
      assertThat(fail.stackTrace()).contains("IllegalStateException").contains("Pipelines$Fail.run");

      assertThat(tasks.get("AfterFail").status()).isEqualTo(TaskStatus.UPSTREAM_FAILED.name());
      assertThat(tasks.get("AfterFail").startedAt()).isNull();
      assertThat(tasks.get("Flaky").status()).isEqualTo(TaskStatus.DONE.name());
      assertThat(tasks.get("Flaky").attempts()).isEqualTo(2);
      assertThat(tasks.get("Flaky").error()).isNull();
      assertThat(eventsOf(config, "run-1", "Flaky")).containsExactly("RETRYING 1", "STARTED 2");
      assertThat(eventsOf(config, "run-1", "Write")).isEmpty();
      assertThat(tasks.get("Mixed").status()).isEqualTo(TaskStatus.UPSTREAM_FAILED.name());
    }
  }

  /** The event rows of a family's tasks in a run: kind and attempt. */
  private static List<String> eventsOf(HistoryConfig config, String runId, String family) throws Exception {
    List<String> events = new ArrayList<>();
    try (java.sql.Connection connection = io.sluice.history.internal.Connections.open(config);
        java.sql.PreparedStatement query = connection.prepareStatement("SELECT e.kind, e.attempt FROM task_events e"
            + " JOIN tasks t ON t.run_id = e.run_id AND t.task_no = e.task_no WHERE e.run_id = ? AND t.family = ?"
            + " ORDER BY e.at, e.attempt")) {
      query.setString(1, runId);
      query.setString(2, family);
      try (java.sql.ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          events.add(rows.getString(1) + " " + rows.getInt(2));
        }
      }
    }
    return events;
  }

  /** Fails with its label as the message: text that JSON and SQL must both carry as it is. */
  record FailWith(String dir, String label) implements io.sluice.Task {
    @Override
    public io.sluice.LocalTarget output() {
      return io.sluice.LocalTarget.of(Path.of(dir, "never \"quoted\".txt"));
    }

    @Override
    public void run(io.sluice.TaskContext context) {
      throw new IllegalStateException(label);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void quotesBackslashesControlCharactersAndNonAsciiTextAreRecordedAsGiven(TestDatabases database) throws Exception {
    HistoryConfig config = database.create(dir);
    String label = "say \"hi\" \\ back\\slash\nnew line\ttab \u0001 caf\u00e9 \u2713 \ud83d\ude00 ' ; --";
    runRecorded(config, "run-odd", new FailWith(dir.toString(), label), new ArrayList<>());

    try (HistoryDatabase history = HistoryDatabase.open(config)) {
      TaskRecord task = history.tasks("run-odd").get(0);
      assertThat(task.error()).isEqualTo("IllegalStateException: " + label);
      assertThat(task.stackTrace()).startsWith("java.lang.IllegalStateException: " + label);
      assertThat(task.outputs()).isEqualTo(Path.of(dir.toString(), "never \"quoted\".txt").toString());
      assertThat(task.params()).contains("caf\u00e9").contains("\\\"hi\\\"");
      assertThat(task.status()).isEqualTo(TaskStatus.FAILED.name());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aTaskHistoryListsEachTimeItRanNewestFirst(TestDatabases database) throws Exception {
    HistoryConfig config = database.create(dir);
    List<String> warnings = new ArrayList<>();
    runRecorded(config, "run-1", new Pipelines.Write(dir.toString(), "x"), warnings);
    Files.delete(dir.resolve("x.txt"));
    runRecorded(config, "run-2", new Pipelines.Write(dir.toString(), "x"), warnings);
    runRecorded(config, "run-3", new Pipelines.Write(dir.toString(), "x"), warnings);  // complete: did not run

    try (HistoryDatabase history = HistoryDatabase.open(config)) {
      assertThat(history.runs(10)).hasSize(3);
      assertThat(history.taskHistory("Write", 10)).extracting(TaskRecord::runId).containsExactly("run-2", "run-1");
      assertThat(history.taskHistory("Write(dir=" + dir + ", name=x)", 10)).hasSize(2);
      assertThat(history.taskHistory("Write(dir=" + dir + ", name=y)", 10)).isEmpty();
      assertThat(history.tasks("run-3")).extracting(TaskRecord::status).containsExactly("COMPLETE");
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void aDatabaseThatCannotBeOpenedNeverFailsTheRunAndOneWarningSaysHowManyEventsWereLost() throws Exception {
    Files.writeString(dir.resolve("blocker"), "a file where the history's directory should be");
    HistoryConfig config = HistoryConfig.sqlite(dir.resolve("blocker/state"));
    FakeTime time = new FakeTime();
    List<String> warnings = new ArrayList<>();
    RunResult result;
    try (HistoryRecorder history = HistoryRecorder.builder(config, runInfo("run-1", "Many"))
        .clock(time).sleeper(time).flushTimeout(Duration.ofSeconds(30)).warnings(warnings::add).start()) {
      result = Sluice.builder().stateDir(dir.resolve("state")).listener(history).build()
          .run(new Pipelines.Many(dir.toString(), 3));
    }

    assertThat(result.exitCode().code()).isZero();
    assertThat(warnings).hasSize(1);
    // run start + graph + (started, succeeded) x 4 (the wrapper too) + final statuses + run end
    assertThat(warnings.get(0)).startsWith("History: 12 of 12 events of run run-1 could not be recorded in "
        + config.where()).contains("12 not written in 30 s after the run").contains("Not a directory")
        .doesNotContain("dropped");
    assertThat(time.sleeps()).isGreaterThan(1);
  }

  @Test
  void aHistoryFileThatIsNoDatabaseIsNotWaitedForAtTheEndAndTheWarningSaysWhatToDo() throws Exception {
    Path state = dir.resolve("state");
    Files.createDirectories(state);
    Files.write(state.resolve("history.db"), new byte[8192]);  // zeros: no SQLite header
    HistoryConfig config = HistoryConfig.sqlite(state);
    FakeTime time = new FakeTime();
    java.time.Instant start = time.instant();
    List<String> warnings = new ArrayList<>();
    RunResult result;
    try (HistoryRecorder history = HistoryRecorder.builder(config, runInfo("run-1", "Many"))
        .clock(time).sleeper(time).flushTimeout(Duration.ofSeconds(30)).warnings(warnings::add).start()) {
      result = Sluice.builder().stateDir(dir.resolve("engine-state")).listener(history).build()
          .run(new Pipelines.Many(dir.toString(), 3));
    }

    assertThat(result.exitCode().code()).isZero();
    assertThat(warnings).singleElement().asString().contains("12 not written: ").contains("not a database")
        .doesNotContain("after the run").contains("move it aside");
    assertThat(time.instant()).as("no wait for the flush timeout").isBefore(start.plus(Duration.ofSeconds(30)));
    assertThat(state.resolve("history.db")).as("the file is left as it was").hasSize(8192);
  }

  @Test
  void eventsBufferedWhileTheDatabaseIsDownAreWrittenWhenItIsBack() throws Exception {
    Path blocker = dir.resolve("blocker");
    Files.writeString(blocker, "a file where the history's directory should be");
    HistoryConfig config = HistoryConfig.sqlite(blocker.resolve("state"));
    FakeTime time = new FakeTime();
    time.onSleep(() -> {
      try {
        Files.deleteIfExists(blocker);  // the database is back
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    List<String> warnings = new ArrayList<>();
    try (HistoryRecorder history = HistoryRecorder.builder(config, runInfo("run-1", "Many"))
        .clock(time).sleeper(time).warnings(warnings::add).start()) {
      Sluice.builder().stateDir(dir.resolve("state")).listener(history).build().run(new Pipelines.Many(dir.toString(), 3));
    }

    assertThat(warnings).isEmpty();
    try (HistoryDatabase history = HistoryDatabase.open(config)) {
      assertThat(history.tasks("run-1")).hasSize(4).allMatch(task -> task.status().equals("DONE")
          || task.family().equals("Many") && task.status().equals("COMPLETE"));
      assertThat(history.run("run-1").orElseThrow().exitCode()).isZero();
    }
  }

  @Test
  void whenTheBufferIsFullFurtherEventsAreDroppedAndCountedInOneWarning() throws Exception {
    Path blocker = dir.resolve("blocker");
    Files.writeString(blocker, "a file where the history's directory should be");
    HistoryConfig config = HistoryConfig.sqlite(blocker.resolve("state"));
    java.util.concurrent.CountDownLatch down = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch back = new java.util.concurrent.CountDownLatch(1);
    FakeTime time = new FakeTime();
    time.onSleep(() -> {
      down.countDown();
      try {
        back.await();
        Files.deleteIfExists(blocker);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    List<String> warnings = new ArrayList<>();
    try (HistoryRecorder history = HistoryRecorder.builder(config, runInfo("run-1", "Many")).capacity(5)
        .clock(time).sleeper(time).warnings(warnings::add).start()) {
      down.await();  // the writer holds the run's start and waits: the queue holds 5 entries, no more
      Sluice.builder().stateDir(dir.resolve("state")).listener(history).build().run(new Pipelines.Many(dir.toString(), 3));
      // The database comes back once the run's end is offered too (close() offers it).
      Thread release = new Thread(() -> {
        while (history.offered() < 12) {
          Thread.onSpinWait();
        }
        back.countDown();
      });
      release.start();
    }

    // 12 entries in all (see above): the writer holds the start, 5 wait in the queue, the other 6 overflow.
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).startsWith("History: 6 of 12 events of run run-1 could not be recorded")
        .contains("6 dropped: the queue of 5 events was full").doesNotContain("not written");
  }
}
