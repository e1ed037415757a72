package io.sluice.cli;

import io.sluice.Settings;
import io.sluice.history.HistoryConfig;
import io.sluice.history.HistoryDatabase;
import io.sluice.history.HistoryRecorder;
import io.sluice.history.LeaseHolder;
import io.sluice.history.LocalHost;
import io.sluice.history.PastDurations;
import io.sluice.history.RunIds;
import io.sluice.history.RunInfo;
import io.sluice.history.StartedBy;
import io.sluice.history.TaskLeases;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * The run history as {@code sluice.toml} sets it: {@code [history] enabled} (default true) and
 * {@code url} (default: {@code history.db} in the state directory).
 */
final class RunHistory {

  /** Where a state directory is when neither {@code --state-dir} nor {@code [core] state_dir} says. */
  static final Path DEFAULT_STATE_DIR = Path.of(".sluice");

  private RunHistory() {}

  /** The state directory: the option, else {@code [core] state_dir}, else {@code .sluice}. */
  static Path stateDir(Path option, ProjectConfig config) {
    Path state = option != null ? option : config.pathSetting("core", "state_dir");
    return state != null ? state : DEFAULT_STATE_DIR;
  }

  /** Whether runs are recorded. */
  static boolean enabled(ProjectConfig config) {
    Boolean enabled = config.boolSetting("history", "enabled");
    return enabled == null || enabled;
  }

  /** The database of the history. */
  static HistoryConfig config(ProjectConfig config, Path stateDir) {
    Object url = config.section("history").get("url");
    if (url != null && !(url instanceof String)) {
      throw new CliException("[history] url = " + url + " is not a string; write it as \"jdbc:postgresql://HOST:PORT/DB\"");
    }
    try {
      return HistoryConfig.of((String) url, stateDir, System.getenv());
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
  }

  /** Past successes read per family for an ETA: enough for a median that follows recent changes. */
  private static final int PAST_PER_FAMILY = 200;

  /**
   * Reads the past durations of tasks of some families, for the progress line's ETA; null when
   * {@code [history] enabled = false}. Throws when the history cannot be read (no ETA then).
   */
  static Function<Set<String>, PastDurations> pastDurations(ProjectConfig config, Path stateDir) {
    if (!enabled(config)) {
      return null;
    }
    HistoryConfig database = config(config, stateDir);
    return families -> {
      try (HistoryDatabase history = HistoryDatabase.open(database)) {
        return history.pastDurations(families, PAST_PER_FAMILY);
      } catch (SQLException e) {
        throw new IllegalStateException("History " + database.where() + " cannot be read: " + e.getMessage(), e);
      }
    };
  }

  /** Starts recording the run, unless {@code [history] enabled = false}. */
  static Optional<HistoryRecorder> start(ProjectConfig config, Settings settings, Path stateDir, String rootTask,
      List<String> arguments) {
    if (!enabled(config)) {
      return Optional.empty();
    }
    HistoryConfig database = config(config, stateDir);
    Instant start = Clock.systemUTC().instant();
    Object commit = settings.get("remote", "start_commit");
    RunInfo run = new RunInfo(runId(System.getenv(), ProcessHandle.current().parent().map(ProcessHandle::pid)
        .orElse(-1L), start), rootTask,
        "sluice " + String.join(" ", arguments), System.getProperty("user.name", "?"), LocalHost.name(),
        ProcessHandle.current().pid(), Path.of("").toAbsolutePath().toString(),
        commit == null ? null : commit.toString(), startedBy(System.getenv()), start);
    return Optional.of(HistoryRecorder.builder(database, run).logDir(stateDir.resolve("logs"))
        .resourceLimits(config.resources()).start());
  }

  /**
   * Task leases for once-only across machines when the history is a shared PostgreSQL ({@code [history]
   * lease_expiry}, default 60 s, and {@code lease_heartbeat}, default a sixth of it); none with SQLite,
   * where the file locks do the job. The run's id names the holder of its leases.
   */
  static Optional<TaskLeases> leases(ProjectConfig config, Path stateDir, Optional<HistoryRecorder> recorder) {
    HistoryConfig database = config(config, stateDir);
    if (database.sqlite()) {
      return Optional.empty();
    }
    String runId = recorder.map(r -> r.run().id()).orElseGet(() -> RunIds.next(Instant.now(), new SecureRandom()));
    Duration expiry = config.durationSetting("history", "lease_expiry");
    Duration heartbeat = config.durationSetting("history", "lease_heartbeat");
    expiry = expiry != null ? expiry : Duration.ofSeconds(60);
    try {
      return Optional.of(TaskLeases.builder(database, new LeaseHolder(runId, LocalHost.name(), ProcessHandle.current().pid()))
          .expiry(expiry).heartbeat(heartbeat != null ? heartbeat : expiry.dividedBy(6)).start());
    } catch (IllegalArgumentException e) {
      throw new CliException("[history] " + e.getMessage());
    }
  }

  /**
   * The id the parent process gave in {@link RunIds#VARIABLE} (a server's schedule, to link to the run), else a
   * new one; an id the parent did not give (inherited by a run started from a task) is not taken.
   */
  static String runId(Map<String, String> environment, long parentPid, Instant start) {
    String given = environment.get(RunIds.VARIABLE);
    if (given == null || given.isBlank()
        || !String.valueOf(parentPid).equals(environment.getOrDefault(RunIds.STARTER_VARIABLE, "").trim())) {
      return RunIds.next(start, new SecureRandom());
    }
    if (!RunIds.valid(given.trim())) {
      LoggerFactory.getLogger("sluice").warn("{}={} is not a run id such as 20261130-181502-3fa9c1; the run gets a"
          + " new one", RunIds.VARIABLE, given);
      return RunIds.next(start, new SecureRandom());
    }
    return given.trim();
  }

  private static StartedBy startedBy(Map<String, String> environment) {
    boolean terminal = System.console() != null;
    try {
      return StartedBy.detect(environment, terminal);
    } catch (IllegalArgumentException e) {
      // A typo in a crontab must not stop the pipeline: say it, and record what can be seen.
      StartedBy seen = StartedBy.detect(Map.of(), terminal);
      LoggerFactory.getLogger("sluice").warn("{}; the run is recorded as started by {}", e.getMessage(), seen.label());
      return seen;
    }
  }

}
