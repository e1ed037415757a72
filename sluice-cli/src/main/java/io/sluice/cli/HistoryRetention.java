package io.sluice.cli;

import io.sluice.history.HistoryConfig;
import io.sluice.history.HistoryDatabase;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** {@code [history] keep_days}: how long {@code sluice clean} keeps runs in the history; all of them when unset. */
final class HistoryRetention {

  private HistoryRetention() {}

  /** Removes (or with {@code dryRun} counts) the runs older than {@code keep_days}, and says so. */
  static void apply(ProjectConfig config, boolean dryRun, Clock clock, PrintStream out) {
    Integer keepDays = config.intSetting("history", "keep_days");
    if (keepDays == null || !RunHistory.enabled(config)) {
      return;
    }
    if (keepDays < 1) {
      throw new CliException("[history] keep_days = " + keepDays + " must be 1 or more (leave it out to keep every run)");
    }
    HistoryConfig database = RunHistory.config(config, RunHistory.stateDir(null, config));
    if (database.sqlite() && !Files.exists(Path.of(database.url().substring("jdbc:sqlite:".length())))) {
      return;
    }
    Instant cutoff = clock.instant().minus(Duration.ofDays(keepDays));
    try (HistoryDatabase history = HistoryDatabase.open(database)) {
      int runs = dryRun ? history.countRunsBefore(cutoff) : history.deleteRunsBefore(cutoff);
      out.println((dryRun ? "Would remove " : "Removed ") + runs + " runs older than " + keepDays
          + " days from the history (" + history.where() + ").");
    } catch (SQLException e) {
      throw new CliException("Cannot clean the run history at " + database.where() + ": " + e.getMessage());
    }
  }
}
