package io.sluice.server;

import io.sluice.history.FamilyCounts;
import io.sluice.history.RunRecord;
import io.sluice.history.RunTask;
import io.sluice.history.TaskEventRecord;
import io.sluice.history.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON shapes of the API (documented in {@code openapi.json}): times as ISO-8601 text in
 * UTC, durations in milliseconds, absent values as null.
 */
final class Views {

  private Views() {}

  static Map<String, Object> run(RunRecord run) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", run.info().id());
    view.put("rootTask", run.info().rootTask());
    view.put("status", status(run));
    view.put("exitCode", run.exitCode());
    view.put("startedAt", time(run.info().startedAt()));
    view.put("endedAt", time(run.endedAt()));
    view.put("durationMs", millis(run.duration()));
    view.put("host", run.info().host());
    view.put("user", run.info().user());
    view.put("pid", run.info().pid());
    view.put("cwd", run.info().cwd());
    view.put("commandLine", run.info().commandLine());
    view.put("gitCommit", run.info().gitCommit());
    view.put("startedBy", run.info().startedBy().label());
    return view;
  }

  /** {@code running}, {@code succeeded}, {@code failed} or {@code lost}, as the runs filter takes it. */
  static String status(RunRecord run) {
    if (run.endedAt() == null) {
      return run.lost() ? "lost" : "running";
    }
    return run.exitCode() != null && run.exitCode() == 0 ? "succeeded" : "failed";
  }

  static Map<String, Object> family(FamilyCounts family) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("family", family.family());
    view.put("total", family.total());
    view.put("byStatus", family.byStatus());
    return view;
  }

  /** A row of the run page's task table. */
  static Map<String, Object> taskRow(RunTask task) {
    TaskRecord record = task.record();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("number", task.number());
    view.put("name", record.name());
    view.put("family", record.family());
    view.put("status", record.status());
    view.put("attempts", record.attempts());
    view.put("startedAt", time(record.startedAt()));
    view.put("durationMs", millis(record.duration()));
    view.put("error", record.error());
    return view;
  }

  static Map<String, Object> remote(TaskRecord.Remote remote) {
    if (remote == null) {
      return null;
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("backend", remote.backend());
    view.put("runId", remote.runId());
    view.put("tier", remote.tier());
    view.put("commit", remote.commit());
    view.put("queuedMs", millis(remote.queued()));
    view.put("ranMs", millis(remote.ran()));
    return view;
  }

  static Map<String, Object> event(TaskEventRecord event) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("kind", event.kind());
    view.put("at", time(event.at()));
    view.put("attempt", event.attempt());
    view.put("message", event.message());
    return view;
  }

  /** A past run of a task, for its history and duration chart. */
  static Map<String, Object> pastRun(TaskRecord record) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("runId", record.runId());
    view.put("name", record.name());
    view.put("status", record.status());
    view.put("startedAt", time(record.startedAt()));
    view.put("durationMs", millis(record.duration()));
    return view;
  }

  static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  static Long millis(Duration duration) {
    return duration == null ? null : duration.toMillis();
  }
}
