package io.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.history.HistoryDatabase;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What the commands that read the history share: where it is, and plain text or JSON. */
abstract class HistoryCommand implements Callable<Integer> {

  @Mixin
  CommonOptions common;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "The state directory whose history.db to read (default: [core] state_dir in sluice.toml, else"
          + " .sluice); [history] url, when set, names the database instead.")
  Path stateDir;

  @Option(names = "--json", description = "JSON for scripts instead of text for people.")
  boolean json;

  @Override
  public final Integer call() throws Exception {
    ProjectConfig config = ProjectConfig.load(common.config);
    if (!RunHistory.enabled(config)) {
      throw new CliException("The run history is off ([history] enabled = false in " + ProjectConfig.FILE_NAME
          + "): no runs are recorded");
    }
    io.sluice.history.HistoryConfig database = RunHistory.config(config, RunHistory.stateDir(stateDir, config));
    if (database.sqlite() && !java.nio.file.Files.exists(Path.of(database.url().substring("jdbc:sqlite:".length())))) {
      // Reading must not leave a new history file (and a .sluice directory) behind.
      return noHistory(database.where(), System.out);
    }
    try (HistoryDatabase history = HistoryDatabase.open(database)) {
      return call(history, System.out);
    } catch (SQLException e) {
      throw new CliException("Cannot read the run history at " + database.where() + ": " + e.getMessage());
    }
  }

  /** What the command says when no run was ever recorded here: nothing to list. */
  int noHistory(String where, PrintStream out) {
    if (json) {
      printJson(out, java.util.List.of());
    } else {
      out.println("No runs recorded yet: there is no history at " + where + ".");
    }
    return 0;
  }

  /** The command, on the open history. */
  abstract int call(HistoryDatabase history, PrintStream out) throws SQLException;

  /** Prints a value (maps, lists, strings, numbers) as indented JSON. */
  static void printJson(PrintStream out, Object value) {
    try {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }
}
