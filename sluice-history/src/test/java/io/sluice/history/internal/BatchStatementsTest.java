package io.sluice.history.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.LocalTarget;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.TaskEvent;
import io.sluice.TaskId;
import io.sluice.history.HistoryConfig;
import io.sluice.history.HistoryDatabase;
import io.sluice.history.RunInfo;
import io.sluice.history.StartedBy;
import io.sluice.history.TaskRecord;
import io.sluice.history.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BatchStatementsTest {

  @TempDir
  Path dir;

  /** A task writing {@code name}.txt; only its id and outputs matter here. */
  record Unit(String name) implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of(Path.of("out", name + ".txt"));
    }

    @Override
    public void run(TaskContext context) {}
  }

  private static TaskEvent event(TaskEvent.Kind kind, Task task, long at, String message, Throwable error) {
    return new TaskEvent(kind, TaskId.of(task), task, 1, Instant.ofEpochMilli(at), Duration.ZERO, message, error);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void rowsInsertedAndUpdatedInGroupsAndOneByOneAreEachWrittenWhole(TestDatabases database) throws Exception {
    HistoryConfig config = database.create(dir);
    Migrations.migrate(config);
    // Not a multiple of the group: full groups of the multi-row upsert, then single rows.
    int count = 2 * BatchStatements.ROWS_PER_UPSERT + 5;
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tasks.add(new Unit("t" + i));
    }
    Map<TaskId, TaskState> table = Batch.newTable();
    Path logDir = dir.resolve("logs");
    try (Connection connection = Connections.open(config);
        BatchStatements statements = new BatchStatements(connection, config.sqlite())) {
      Batch started = new Batch(table, logDir);
      started.add(new Entry.RunStarted(new RunInfo("run-g", "Unit", "sluice run Unit", "alice", "host-1", 1, "/w",
          null, StartedBy.TERMINAL, Instant.ofEpochMilli(1_000))));
      for (int i = 0; i < count; i++) {
        started.add(new Entry.Event(event(TaskEvent.Kind.STARTED, tasks.get(i), 2_000 + i, "", null)));
      }
      statements.write("run-g", started);

      // The same rows again (the conflict's update), now in a group of a different shape: every
      // third task fails, the others succeed.
      Batch ended = new Batch(table, logDir);
      for (int i = count - 1; i >= 0; i--) {
        ended.add(new Entry.Event(i % 3 == 0
            ? event(TaskEvent.Kind.FAILED, tasks.get(i), 5_000 + i, "broke " + i, new IllegalStateException("broke " + i))
            : event(TaskEvent.Kind.SUCCEEDED, tasks.get(i), 5_000 + i, "", null)));
      }
      statements.write("run-g", ended);
    }

    try (HistoryDatabase history = HistoryDatabase.open(config)) {
      Map<String, TaskRecord> rows = history.tasks("run-g").stream()
          .collect(Collectors.toMap(TaskRecord::name, Function.identity()));
      assertThat(rows).hasSize(count);
      for (int i = 0; i < count; i++) {
        Task task = tasks.get(i);
        TaskRecord row = rows.get(TaskId.of(task).toString());
        assertThat(row).as("t" + i).isNotNull();
        assertThat(row.family()).isEqualTo("Unit");
        assertThat(row.params()).isEqualTo("{\"name\":\"t" + i + "\"}");
        assertThat(row.status()).as("t" + i).isEqualTo(i % 3 == 0 ? "FAILED" : "DONE");
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.startedAt()).isEqualTo(Instant.ofEpochMilli(2_000 + i));
        assertThat(row.endedAt()).isEqualTo(Instant.ofEpochMilli(5_000 + i));
        assertThat(row.error()).isEqualTo(i % 3 == 0 ? "broke " + i : null);
        if (i % 3 == 0) {
          assertThat(row.stackTrace()).as("t" + i).startsWith("java.lang.IllegalStateException: broke " + i);
        } else {
          assertThat(row.stackTrace()).as("t" + i).isNull();
        }
        assertThat(row.logFile()).isEqualTo(logDir.resolve(io.sluice.internal.LogFiles.name(TaskId.of(task))).toString());
        assertThat(row.outputs()).isEqualTo(Path.of("out", "t" + i + ".txt").toString());
        assertThat(row.remote()).isNull();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aRowWrittenWithAnErrorLosesItWhenTheTaskThenSucceeds(TestDatabases database) throws Exception {
    HistoryConfig config = database.create(dir);
    Migrations.migrate(config);
    Task retried = new Unit("retried");
    Task failed = new Unit("failed");
    Map<TaskId, TaskState> table = Batch.newTable();
    try (Connection connection = Connections.open(config);
        BatchStatements statements = new BatchStatements(connection, config.sqlite())) {
      Batch first = new Batch(table, dir);
      first.add(new Entry.RunStarted(new RunInfo("run-r", "Unit", "sluice run Unit", "alice", "host-1", 1, "/w",
          null, StartedBy.TERMINAL, Instant.ofEpochMilli(1_000))));
      first.add(new Entry.Event(event(TaskEvent.Kind.STARTED, retried, 2_000, "", null)));
      first.add(new Entry.Event(event(TaskEvent.Kind.RETRYING, retried, 2_100, "flaky", new IllegalStateException("flaky"))));
      first.add(new Entry.Event(event(TaskEvent.Kind.STARTED, failed, 2_000, "", null)));
      statements.write("run-r", first);

      Batch second = new Batch(table, dir);
      second.add(new Entry.Event(event(TaskEvent.Kind.SUCCEEDED, retried, 3_000, "", null)));
      second.add(new Entry.Event(event(TaskEvent.Kind.FAILED, failed, 3_000, "broke", new IllegalStateException("broke"))));
      statements.write("run-r", second);
    }

    try (HistoryDatabase history = HistoryDatabase.open(config)) {
      Map<String, TaskRecord> rows = history.tasks("run-r").stream()
          .collect(Collectors.toMap(TaskRecord::name, Function.identity()));
      TaskRecord done = rows.get(TaskId.of(retried).toString());
      assertThat(done.status()).isEqualTo("DONE");
      assertThat(done.error()).isNull();
      assertThat(done.stackTrace()).isNull();
      assertThat(done.endedAt()).isEqualTo(Instant.ofEpochMilli(3_000));
      TaskRecord broke = rows.get(TaskId.of(failed).toString());
      assertThat(broke.status()).isEqualTo("FAILED");
      assertThat(broke.error()).isEqualTo("broke");
      assertThat(broke.stackTrace()).startsWith("java.lang.IllegalStateException: broke");
    }
  }
}
