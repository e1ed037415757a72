package io.sluice.cli;

import io.sluice.ExitCode;
import io.sluice.history.RunRecord;
import io.sluice.history.TaskRecord;
import io.sluice.internal.Printable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How the history commands write times, outcomes and tables, for people and for JSON. */
final class HistoryText {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
      .withZone(ZoneId.systemDefault());

  private HistoryText() {}

  static String time(Instant instant) {
    return instant == null ? "-" : TIME.format(instant);
  }

  /** {@code 850 ms}, {@code 12.3 s}, {@code 4m 05s}, {@code 2h 03m}. */
  static String duration(Duration duration) {
    if (duration == null) {
      return "-";
    }
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    long seconds = millis / 1000;
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, seconds / 60 % 60);
  }

  /** What a run's exit code means; a run without one is running, or lost when its process died. */
  static String outcome(RunRecord run) {
    if (run.lost()) {
      return "lost (its process died: " + (run.heartbeatAt() == null ? "no end recorded"
          : "last heard of " + time(run.heartbeatAt())) + ")";
    }
    if (run.endedAt() == null) {
      return "running";
    }
    if (run.exitCode() == null) {
      return "ended, exit code unknown";
    }
    for (ExitCode code : ExitCode.values()) {
      if (code.code() == run.exitCode()) {
        return code.meaning() + " (" + run.exitCode() + ")";
      }
    }
    return "exit code " + run.exitCode();
  }

  static String remote(TaskRecord.Remote remote) {
    if (remote == null) {
      return "";
    }
    return remote.backend() + " " + remote.runId() + " on " + remote.tier()
        + (remote.queued() == null ? "" : ", queued " + duration(remote.queued()))
        + (remote.ran() == null ? "" : ", ran " + duration(remote.ran()));
  }

  /** Rows under a header, each column as wide as its widest cell; the last column is not padded. */
  static String table(List<String> header, List<List<String>> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    // What a history holds is shown escaped: a task's name or a host may hold characters a terminal obeys.
    rows.forEach(row -> all.add(row.stream().map(Printable::line).toList()));
    int[] widths = new int[header.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }

  static Map<String, Object> json(RunRecord run) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", run.info().id());
    json.put("task", run.info().rootTask());
    json.put("commandLine", run.info().commandLine());
    json.put("user", run.info().user());
    json.put("host", run.info().host());
    json.put("pid", run.info().pid());
    json.put("cwd", run.info().cwd());
    json.put("gitCommit", run.info().gitCommit());
    json.put("startedBy", run.info().startedBy().label());
    json.put("startedAt", run.info().startedAt().toString());
    json.put("endedAt", run.endedAt() == null ? null : run.endedAt().toString());
    json.put("durationMs", run.duration() == null ? null : run.duration().toMillis());
    json.put("exitCode", run.exitCode());
    json.put("state", run.lost() ? "lost" : run.endedAt() == null ? "running" : "ended");
    json.put("heartbeatAt", run.heartbeatAt() == null ? null : run.heartbeatAt().toString());
    return json;
  }

  static Map<String, Object> json(TaskRecord task) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("run", task.runId());
    json.put("task", task.name());
    json.put("family", task.family());
    json.put("params", task.params());
    json.put("status", task.status());
    json.put("attempts", task.attempts());
    json.put("startedAt", task.startedAt() == null ? null : task.startedAt().toString());
    json.put("endedAt", task.endedAt() == null ? null : task.endedAt().toString());
    json.put("durationMs", task.duration() == null ? null : task.duration().toMillis());
    json.put("error", task.error());
    json.put("stackTrace", task.stackTrace());
    json.put("logFile", task.logFile());
    json.put("outputs", task.outputs() == null ? List.of() : task.outputs().lines().toList());
    if (task.remote() != null) {
      Map<String, Object> remote = new LinkedHashMap<>();
      remote.put("backend", task.remote().backend());
      remote.put("runId", task.remote().runId());
      remote.put("tier", task.remote().tier());
      remote.put("commit", task.remote().commit());
      remote.put("queuedMs", task.remote().queued() == null ? null : task.remote().queued().toMillis());
      remote.put("ranMs", task.remote().ran() == null ? null : task.remote().ran().toMillis());
      json.put("remote", remote);
    } else {
      json.put("remote", null);
    }
    return json;
  }
}
