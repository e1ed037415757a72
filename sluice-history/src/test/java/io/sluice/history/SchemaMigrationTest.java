package io.sluice.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.history.internal.Connections;
import io.sluice.history.internal.Migrations;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SchemaMigrationTest {

  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void anEmptyDatabaseIsBroughtToTheLatestSchema(TestDatabases database) throws Exception {
    HistoryConfig config = database.create(dir);
    try (HistoryDatabase history = HistoryDatabase.open(config)) {
      assertThat(history.runs(10)).isEmpty();
    }
    assertThat(schemaVersions(config)).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aVersion1HistoryWithRunsIsUpgradedAndItsRunsAndTasksStillRead(TestDatabases database) throws Exception {
    HistoryConfig config = database.create(dir);
    Migrations.migrateTo(config, "1");
    assertThat(schemaVersions(config)).containsExactly("1");
    try (Connection connection = Connections.open(config); Statement sql = connection.createStatement()) {
      // What a Sluice of schema version 1 wrote.
      sql.executeUpdate("INSERT INTO runs (id, root_task, command_line, user_name, host, pid, cwd, git_commit,"
          + " started_by, started_at, ended_at, exit_code) VALUES ('old-run', 'TrainForest()', 'sluice run TrainForest',"
          + " 'alice', 'host-1', 99, '/work', NULL, 'cron', 1000, 61000, 0)");
      sql.executeUpdate("INSERT INTO tasks (run_id, task_no, family, task_name, params, status, attempts, started_at,"
          + " ended_at, duration_ms, log_file, outputs) VALUES ('old-run', 1, 'TrainForest', 'TrainForest()', '{}',"
          + " 'DONE', 1, 2000, 60000, 58000, '.sluice/logs/TrainForest.log', 'models/forest.bin')");
      sql.executeUpdate("INSERT INTO task_events (run_id, task_no, kind, at, attempt) VALUES ('old-run', 1, 'STARTED',"
          + " 2000, 1), ('old-run', 1, 'SUCCEEDED', 60000, 1)");
    }

    try (HistoryDatabase history = HistoryDatabase.open(config)) {
      assertThat(schemaVersions(config)).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
      RunRecord old = history.run("old").orElseThrow();
      assertThat(old.info().startedBy()).isEqualTo(StartedBy.CRON);
      assertThat(old.info().gitCommit()).isNull();
      assertThat(old.duration()).isEqualTo(Duration.ofMinutes(1));
      assertThat(history.tasks("old-run")).singleElement().satisfies(task -> {
        assertThat(task.duration()).isEqualTo(Duration.ofSeconds(58));
        assertThat(task.remote()).isNull();
      });
    }

    // and the upgraded history takes new runs beside the old
    List<String> warnings = new ArrayList<>();
    try (HistoryRecorder recorder = HistoryRecorder.builder(config, HistoryRecorderTest.runInfo("new-run", "Write"))
        .warnings(warnings::add).start()) {
      io.sluice.Sluice.builder().stateDir(dir.resolve("state")).listener(recorder).build()
          .run(new Pipelines.Write(dir.toString(), "x"));
    }
    assertThat(warnings).isEmpty();
    try (HistoryDatabase history = HistoryDatabase.open(config)) {
      assertThat(history.runs(10)).extracting(run -> run.info().id()).containsExactly("new-run", "old-run");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aVersion4HistoryIsUpgradedAndItsRunThatNeverEndedShowsAsLostNotRunning(TestDatabases database)
      throws Exception {
    HistoryConfig config = database.create(dir);
    Migrations.migrateTo(config, "4");
    try (Connection connection = Connections.open(config); Statement sql = connection.createStatement()) {
      // What a Sluice of schema version 4 wrote: a run that ended, and one whose process died.
      sql.executeUpdate("INSERT INTO runs (id, root_task, command_line, user_name, host, pid, cwd, git_commit,"
          + " started_by, started_at, ended_at, exit_code) VALUES ('ended-run', 'A()', 'sluice run A', 'alice',"
          + " 'host-1', 99, '/work', NULL, 'terminal', 1000, 61000, 0), ('dead-run', 'B()', 'sluice run B', 'alice',"
          + " 'host-1', 98, '/work', NULL, 'terminal', 2000, NULL, NULL)");
    }

    try (HistoryDatabase history = HistoryDatabase.open(config)) {
      assertThat(schemaVersions(config)).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
      RunRecord ended = history.run("ended-run").orElseThrow();
      assertThat(ended.lost()).isFalse();
      assertThat(ended.heartbeatAt()).isNull();
      assertThat(history.run("dead-run").orElseThrow().lost()).as("no heartbeat: its start stands for it").isTrue();
      assertThat(history.runs(new RunFilter(null, RunFilter.Outcome.RUNNING, null, null, null), 10)).isEmpty();
    }
  }

  @org.junit.jupiter.api.Test
  void theLatestVersionTheQuickCheckKnowsIsTheHighestMigrationFile() throws Exception {
    // A current schema skips Flyway by comparing with Migrations.LATEST: a new file must raise it.
    Path folder = Path.of(Migrations.class.getResource("/io/sluice/history/migration").toURI());
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(folder)) {
      int highest = files.map(file -> file.getFileName().toString()).filter(name -> name.matches("V\\d+__.*\\.sql"))
          .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__")))).max().orElseThrow();
      assertThat(Migrations.LATEST).isEqualTo(String.valueOf(highest));
    }
  }

  private static List<String> schemaVersions(HistoryConfig config) throws Exception {
    List<String> versions = new ArrayList<>();
    try (Connection connection = Connections.open(config); Statement sql = connection.createStatement();
        ResultSet rows = sql.executeQuery("SELECT version FROM sluice_schema_history WHERE success"
            + " AND version IS NOT NULL ORDER BY installed_rank")) {
      while (rows.next()) {
        versions.add(rows.getString(1));
      }
    }
    return versions;
  }

  @org.junit.jupiter.api.RepeatedTest(5)
  void processesOpeningANewSqliteHistoryAtOnceAllFindItMigrated() throws Exception {
    HistoryConfig config = TestDatabases.SQLITE.create(dir.resolve("race-" + System.nanoTime()));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<?>> opens = new java.util.ArrayList<>();
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      for (int i = 0; i < 4; i++) {
        opens.add(pool.submit(() -> {
          start.await();
          Migrations.migrate(config);
          return null;
        }));
      }
      start.countDown();
      for (java.util.concurrent.Future<?> open : opens) {
        open.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(schemaVersions(config)).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
  }
}
