package io.sluice.cli;

import io.sluice.LocalTarget;
import io.sluice.RunResult;
import io.sluice.TaskEvent;
import io.sluice.TaskId;
import io.sluice.TaskListener;
import io.sluice.TaskStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a self-contained HTML page about a run ({@code sluice run --report FILE.html}): the
 * verdict on top, every task with status, duration, attempts, why it ran (or why it failed) and its
 * last note (a remote run's backend, run id and tier), and a timeline showing which tasks overlapped. No network needed
 * to open it: no scripts, no fonts, the chart is inline SVG.
 */
final class HtmlReport implements TaskListener {

  private final Path file;
  private final Instant created = Instant.now();
  private final Map<TaskId, Row> rows = new LinkedHashMap<>();

  private static final class Row {
    Instant start;
    Instant end;
    int attempts;
    String note = "";
  }

  HtmlReport(Path file) {
    this.file = file;
  }

  @Override
  public synchronized void onEvent(TaskEvent event) {
    Row row = rows.computeIfAbsent(event.id(), id -> new Row());
    switch (event.kind()) {
      case STARTED -> {
        if (row.start == null) {
          row.start = event.at();
        }
        row.attempts = event.attempt();
      }
      case SUCCEEDED, FAILED, SKIPPED, MISSING, COMPLETE -> {
        if (row.start != null) {
          row.end = event.at();
        }
      }
      case NOTE -> row.note = event.message();
      default -> { }
    }
  }

  @Override
  public synchronized void runFinished(RunResult result) {
    try {
      LocalTarget.of(file).writeString(render(result));
    } catch (IOException e) {
      System.err.println("sluice: cannot write the report " + file + ": " + e.getMessage());
    }
  }

  private String render(RunResult result) {
    Instant origin = rows.values().stream().map(r -> r.start).filter(s -> s != null).min(Instant::compareTo)
        .orElse(created);
    Instant last = rows.values().stream().map(r -> r.end).filter(e -> e != null).max(Instant::compareTo)
        .orElse(origin.plusMillis(1));
    double span = Math.max(1, Duration.between(origin, last).toMillis());
    StringBuilder html = new StringBuilder("""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Sluice run report</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:2em;color:#222}
        .verdict{font-size:1.2em;padding:.6em 1em;border-radius:6px}
        .ok{background:#e3f6e3}.bad{background:#fbe3e3}
        table{border-collapse:collapse;margin-top:1em}td,th{border-bottom:1px solid #ddd;padding:.3em .8em;text-align:left;vertical-align:top}
        .DONE{color:#1a7f37}.FAILED,.MISSING{color:#c62828}.UPSTREAM_FAILED,.INTERRUPTED,.ALREADY_RUNNING{color:#a15c00}.COMPLETE{color:#666}
        pre{margin:0;white-space:pre-wrap;font-size:.85em}
        </style></head><body>
        <h1>Sluice run report</h1>
        """);
    html.append("<p class=\"verdict ").append(result.exitCode().code() == 0 ? "ok" : "bad").append("\">")
        .append(escape(result.verdict())).append("</p>\n");
    html.append("<p>Exit code ").append(result.exitCode().code()).append(" (").append(escape(result.exitCode().meaning()))
        .append("), ").append(String.format(Locale.ROOT, "%.1f", result.elapsed().toMillis() / 1000.0))
        .append(" s, report written ").append(escape(Instant.now().toString())).append(".</p>\n");

    List<Map.Entry<TaskId, Row>> ran = new ArrayList<>();
    for (Map.Entry<TaskId, Row> entry : rows.entrySet()) {
      if (entry.getValue().start != null) {
        ran.add(entry);
      }
    }
    html.append("<h2>Timeline</h2>\n");
    int rowHeight = 22;
    int labelWidth = 360;
    int chartWidth = 640;
    int height = Math.max(1, ran.size()) * rowHeight + 30;
    html.append("<svg width=\"").append(labelWidth + chartWidth + 50)
        .append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"timeline\">\n");
    for (int i = 0; i <= 4; i++) {
      double x = labelWidth + chartWidth * i / 4.0;
      html.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
          + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#666\">%.1f s</text>%n",
          x, x, height - 18, x, height - 4, span * i / 4 / 1000.0));
    }
    for (int i = 0; i < ran.size(); i++) {
      TaskId id = ran.get(i).getKey();
      Row row = ran.get(i).getValue();
      Instant end = row.end != null ? row.end : last;
      double x = labelWidth + chartWidth * Duration.between(origin, row.start).toMillis() / span;
      double width = Math.max(2, chartWidth * Duration.between(row.start, end).toMillis() / span);
      int y = i * rowHeight + 4;
      TaskStatus status = result.statuses().get(id);
      html.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" font-size=\"12\">%s</text>"
          + "<rect class=\"bar\" data-task=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"3\" fill=\"%s\">"
          + "<title>%s: %.2f s</title></rect>%n",
          y + 13, escape(shorten(id.toString(), 55)), escape(id.toString()), x, y, width, rowHeight - 6,
          color(status), escape(id.toString()), Duration.between(row.start, end).toMillis() / 1000.0));
    }
    html.append("</svg>\n");

    html.append("<h2>Tasks</h2>\n<table><tr><th>task</th><th>status</th><th>duration</th><th>attempts</th>"
        + "<th>remote run / note</th><th>reason (why it ran, or what went wrong)</th></tr>\n");
    for (Map.Entry<TaskId, TaskStatus> entry : result.statuses().entrySet()) {
      Row row = rows.getOrDefault(entry.getKey(), new Row());
      String duration = row.start == null || row.end == null ? ""
          : String.format(Locale.ROOT, "%.2f s", Duration.between(row.start, row.end).toMillis() / 1000.0);
      html.append("<tr><td>").append(escape(entry.getKey().toString())).append("</td><td class=\"")
          .append(entry.getValue().name()).append("\">").append(escape(entry.getValue().label())).append("</td><td>")
          .append(duration).append("</td><td>").append(row.attempts == 0 ? "" : row.attempts).append("</td><td>")
          .append(escape(result.notes().getOrDefault(entry.getKey(), row.note))).append("</td><td><pre>")
          .append(escape(result.reasons().getOrDefault(entry.getKey(), ""))).append("</pre></td></tr>\n");
    }
    html.append("</table>\n");
    if (result.schedulingError() != null) {
      html.append("<h2>Scheduling error</h2><pre>").append(escape(result.schedulingError())).append("</pre>\n");
    }
    return html.append("</body></html>\n").toString();
  }

  private static String color(TaskStatus status) {
    if (status == null) {
      return "#999";
    }
    return switch (status) {
      case DONE -> "#4caf50";
      case FAILED, MISSING -> "#e53935";
      case COMPLETE -> "#9e9e9e";
      default -> "#fb8c00";
    };
  }

  private static String shorten(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
