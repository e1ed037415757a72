package io.sluice.cli;

import io.sluice.RunResult;
import io.sluice.TaskId;
import io.sluice.TaskStatus;
import io.sluice.history.HistoryDatabase;
import io.sluice.history.HistoryRecorder;
import io.sluice.history.RunFilter;
import io.sluice.history.RunRecord;
import io.sluice.server.notify.NotifyEvent;
import io.sluice.server.notify.NotifySettings;
import io.sluice.server.notify.Notifier;
import io.sluice.server.notify.RunSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * {@code sluice run} tells of its end as {@code [notify]} says: the process that ran the pipeline sends,
 * so a run started by hand, by cron or by a server's schedule is told alike, with no server needed.
 */
final class RunNotifications {

  private static final int FAILURES_TOLD = 5;

  private RunNotifications() {}

  /** The settings, read before the run so that a mistake in them stops it before anything runs. */
  static NotifySettings settings(ProjectConfig config) {
    try {
      return NotifySettings.parse(config.section("notify"), System.getenv(), config.where());
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
  }

  /** Tells of the run's end if its event is asked for; a failure to tell is a warning. */
  static void send(NotifySettings settings, ProjectConfig config, Path stateDir, Optional<HistoryRecorder> history,
      String rootTask, RunResult result) {
    if (!settings.any()) {
      return;
    }
    String runId = history.map(recorder -> recorder.run().id()).orElse(null);
    Boolean previous = settings.on().contains(NotifyEvent.RECOVERY) && result.exitCode().code() == 0
        ? previousSucceeded(config, stateDir, rootTask, runId) : null;
    String link = settings.serverUrl() == null || runId == null ? null
        : settings.serverUrl().toString().replaceAll("/+$", "") + "/runs/" + runId;
    RunSummary summary = new RunSummary(runId, rootTask, result.exitCode().code(), result.verdict(), failures(result),
        result.elapsed(), io.sluice.history.LocalHost.name(), link);
    new Notifier(settings, warning -> LoggerFactory.getLogger("sluice").warn("{}", warning)).notify(summary, previous);
  }

  private static List<String> failures(RunResult result) {
    List<String> failures = new ArrayList<>();
    long failed = result.count(TaskStatus.FAILED);
    for (Map.Entry<TaskId, TaskStatus> task : result.statuses().entrySet()) {
      if (task.getValue() == TaskStatus.FAILED && failures.size() < FAILURES_TOLD) {
        String reason = result.reasons().get(task.getKey());
        failures.add(task.getKey() + (reason == null ? "" : ": " + reason));
      }
    }
    if (failed > FAILURES_TOLD) {
      failures.add("and " + (failed - FAILURES_TOLD) + " more failed tasks");
    }
    if (result.schedulingError() != null) {
      failures.add(result.schedulingError());
    }
    return failures;
  }

  /** How the last earlier run of the same task ended, from the history; null when unknown. */
  private static Boolean previousSucceeded(ProjectConfig config, Path stateDir, String rootTask, String runId) {
    if (!RunHistory.enabled(config)) {
      return null;
    }
    try (HistoryDatabase database = HistoryDatabase.open(RunHistory.config(config, stateDir))) {
      for (RunRecord run : database.runs(new RunFilter(rootTask, null, null, null, null), 20)) {
        if (run.info().rootTask().equals(rootTask) && !run.info().id().equals(runId) && run.exitCode() != null) {
          return run.exitCode() == 0;
        }
      }
      return null;
    } catch (Exception e) {
      LoggerFactory.getLogger("sluice").warn("Cannot read the last run of {} to tell a recovery: {}", rootTask,
          e.getMessage());
      return null;
    }
  }
}
