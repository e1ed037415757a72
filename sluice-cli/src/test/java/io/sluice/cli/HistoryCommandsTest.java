package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.history.HistoryConfig;
import io.sluice.history.TestDatabases;
import io.sluice.history.internal.Connections;
import io.sluice.history.internal.Migrations;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code sluice runs}, {@code show} and {@code history} over what {@code sluice run} recorded, in both databases. */
class HistoryCommandsTest {

  @TempDir Path dir;
  private String stdout;
  private String stderr;

  private int sluice(Path config, String... args) {
    TestPipeline.dir = dir;
    List<String> arguments = new ArrayList<>(List.of(args));
    arguments.addAll(List.of("--state-dir", dir.resolve("state").toString()));
    if (config != null) {
      arguments.addAll(List.of("--config", config.toString()));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return Cli.execute(arguments.toArray(String[]::new), TestPipeline.class);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
      stdout = out.toString(StandardCharsets.UTF_8);
      stderr = err.toString(StandardCharsets.UTF_8);
    }
  }

  /** A sluice.toml naming the database; none for the default SQLite file under the state directory. */
  private Path configFor(TestDatabases database) throws Exception {
    HistoryConfig history = database.create(dir);
    Path config = dir.resolve("sluice.toml");
    Files.writeString(config, database == TestDatabases.SQLITE ? "" : "[history]\nurl = \"" + history.url() + "\"\n");
    return config;
  }

  private HistoryConfig historyOf(Path config) throws Exception {
    String text = Files.readString(config);
    return text.isEmpty() ? HistoryConfig.sqlite(dir.resolve("state"))
        : new HistoryConfig(text.substring(text.indexOf('"') + 1, text.lastIndexOf('"')), null, null);
  }

  private static JsonNode json(String text) throws Exception {
    return new ObjectMapper().readTree(text);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void runsShowAndHistoryTellWhatEachRunDid(TestDatabases database) throws Exception {
    Path config = configFor(database);
    assertThat(sluice(config, "run", "Repeat", "--times", "3")).isZero();
    assertThat(sluice(config, "run", "Both")).isEqualTo(1);

    assertThat(sluice(config, "runs")).isZero();
    assertThat(stdout).contains("RUN", "Both()", "a task failed (1)", "Repeat(times=3, day=2024-01-31)", "success (0)");
    assertThat(sluice(config, "runs", "--json")).isZero();
    JsonNode runs = json(stdout);
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).get("task").asText()).isEqualTo("Both()");
    assertThat(runs.get(0).get("exitCode").asInt()).isEqualTo(1);
    assertThat(runs.get(0).get("commandLine").asText()).startsWith("sluice run Both");
    assertThat(runs.get(1).get("exitCode").asInt()).isZero();
    assertThat(runs.get(1).get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());

    assertThat(sluice(config, "show", "last")).isZero();
    assertThat(stdout).contains("Run " + runs.get(0).get("id").asText() + ": a task failed (1)",
        "Broken()", "FAILED", "UPSTREAM_FAILED", "Broken(): IllegalStateException: the disk is on fire", "log: ");
    assertThat(sluice(config, "show", runs.get(1).get("id").asText(), "--json")).isZero();
    JsonNode shown = json(stdout);
    assertThat(shown.get("tasks")).extracting(task -> task.get("task").asText() + " " + task.get("status").asText())
        .containsExactlyInAnyOrder("Repeat(times=3, day=2024-01-31) DONE", "Word(word=hello) DONE");

    assertThat(sluice(config, "history", "Word")).isZero();
    assertThat(stdout).contains("Word(word=hello)", "Word(word=independent)", "2 successful of 2: median");
    assertThat(sluice(config, "history", "Word(word=independent)", "--json")).isZero();
    assertThat(json(stdout).get("runs")).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void theCommandsReadAHistoryOfTheOlderSchemaAfterUpgradingIt(TestDatabases database) throws Exception {
    Path config = configFor(database);
    HistoryConfig history = historyOf(config);
    Migrations.migrateTo(history, "1");
    try (Connection connection = Connections.open(history); Statement sql = connection.createStatement()) {
      sql.executeUpdate("INSERT INTO runs (id, root_task, command_line, user_name, host, pid, cwd, started_by,"
          + " started_at, ended_at, exit_code) VALUES ('20260101-000000-aaaaaa', 'Word(word=hello)',"
          + " 'sluice run Word', 'alice', 'old-host', 1, '/work', 'cron', 1767225600000, 1767225601000, 0)");
      sql.executeUpdate("INSERT INTO tasks (run_id, task_no, family, task_name, params, status, attempts, started_at,"
          + " ended_at, duration_ms) VALUES ('20260101-000000-aaaaaa', 1, 'Word', 'Word(word=hello)', '{}', 'DONE', 1,"
          + " 1767225600100, 1767225600900, 800)");
    }

    assertThat(sluice(config, "run", "Word")).isZero();
    assertThat(sluice(config, "runs", "--json")).isZero();
    assertThat(json(stdout)).extracting(run -> run.get("host").asText()).last().isEqualTo("old-host");
    assertThat(sluice(config, "show", "20260101")).isZero();
    assertThat(stdout).contains("by cron, alice@old-host pid 1", "Word(word=hello)  DONE    800 ms");
    assertThat(sluice(config, "history", "Word")).isZero();
    assertThat(stdout).contains("20260101-000000-aaaaaa", "2 successful of 2");
  }

  @Test
  void historyOffRecordsNothingAndTheCommandsSaySo() throws Exception {
    Path config = dir.resolve("sluice.toml");
    Files.writeString(config, "[history]\nenabled = false\n");
    assertThat(sluice(config, "run", "Word")).isZero();
    assertThat(dir.resolve("state/history.db")).doesNotExist();
    assertThat(sluice(config, "runs")).isEqualTo(2);
    assertThat(stderr).contains("The run history is off ([history] enabled = false in sluice.toml)");
  }

  @Test
  void readingWhereNothingWasRecordedSaysSoAndCreatesNothing() {
    assertThat(sluice(null, "runs")).isZero();
    assertThat(stdout).startsWith("No runs recorded yet: there is no history at jdbc:sqlite:");
    assertThat(sluice(null, "history", "Word", "--json")).isZero();
    assertThat(stdout.strip()).isEqualTo("[ ]");
    assertThat(sluice(null, "show", "last")).isEqualTo(2);
    assertThat(stderr).contains("No run 'last': there is no history at");
    assertThat(dir.resolve("state")).doesNotExist();
  }

  @Test
  void whatTheHistoryHoldsIsShownWithTheCharactersATerminalObeysEscaped() throws Exception {
    String hostile = "a\u001b]0;owned\u0007\nFAKE\u202e";
    assertThat(sluice(null, "run", "Shout", "--words", hostile)).isEqualTo(1);

    for (String[] command : List.of(new String[] {"runs"}, new String[] {"show", "last"}, new String[] {"history", "Shout"})) {
      assertThat(sluice(null, command)).as(String.join(" ", command)).isZero();
      assertThat(stdout).as(String.join(" ", command)).contains("\\u001b]0;owned\\u0007").doesNotContain("\u001b", "\u0007", "\u202e");
      assertThat(stdout.lines()).as(String.join(" ", command)).noneMatch(line -> line.startsWith("FAKE"));
    }
  }

  @Test
  void anUnknownRunIsAnErrorThatSaysHowToListThem() throws Exception {
    assertThat(sluice(null, "run", "Word")).isZero();
    assertThat(dir.resolve("state/history.db")).exists();
    assertThat(sluice(null, "show", "nope")).isEqualTo(2);
    assertThat(stderr).contains("No run 'nope' in the history at jdbc:sqlite:", "'sluice runs' lists the recorded ones");
  }

  @Test
  void cleanRemovesTheRunsOlderThanKeepDaysFromTheHistory() throws Exception {
    Path config = dir.resolve("sluice.toml");
    Files.writeString(config, "[core]\nstate_dir = \"" + dir.resolve("state") + "\"\n[history]\nkeep_days = 30\n");
    assertThat(sluice(config, "run", "Word")).isZero();
    try (Connection connection = Connections.open(HistoryConfig.sqlite(dir.resolve("state")));
        Statement sql = connection.createStatement()) {
      sql.executeUpdate("INSERT INTO runs (id, root_task, command_line, user_name, host, pid, cwd, started_by,"
          + " started_at) VALUES ('20200101-000000-aaaaaa', 'Word(word=hello)', 'sluice run Word', 'alice', 'h', 1,"
          + " '/work', 'cron', 1577836800000)");
      sql.executeUpdate("INSERT INTO tasks (run_id, task_no, family, task_name, params, status, attempts)"
          + " VALUES ('20200101-000000-aaaaaa', 1, 'Word', 'Word(word=hello)', '{}', 'DONE', 1)");
    }

    assertThat(cleanIn(config, "--dry-run")).isZero();
    assertThat(stdout).contains("Would remove 1 runs older than 30 days from the history");
    assertThat(cleanIn(config)).isZero();
    assertThat(stdout).contains("Removed 1 runs older than 30 days from the history");
    assertThat(sluice(config, "runs", "--json")).isZero();
    assertThat(json(stdout)).hasSize(1);
    assertThat(sluice(config, "history", "Word")).isZero();
    assertThat(stdout).doesNotContain("20200101");
  }

  /** {@code sluice clean} takes no --state-dir: the state directory comes from the configuration. */
  private int cleanIn(Path config, String... args) {
    List<String> arguments = new ArrayList<>(List.of("clean", "--config", config.toString()));
    arguments.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      return Cli.execute(arguments.toArray(String[]::new), TestPipeline.class);
    } finally {
      System.setOut(originalOut);
      stdout = out.toString(StandardCharsets.UTF_8);
    }
  }
}
