package io.sluice.examples.ensemble;

import io.sluice.examples.ensemble.ScoreReport.Evaluation;
import io.sluice.examples.ensemble.ScoreReport.Training;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The score report, as Markdown and as one self-contained HTML page (inline CSS and SVG charts,
 * no scripts, nothing fetched). Both say the same; the page adds a chart of the scores and a
 * timeline of the trainings.
 */
final class ReportPages {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  private static final String[] COLORS = {"#2e7d32", "#1565c0", "#ef6c00", "#6a1b9a", "#00838f"};

  private final List<Evaluation> evaluations;
  private final List<Training> trainings;

  ReportPages(List<Evaluation> evaluations, List<Training> trainings) {
    this.evaluations = List.copyOf(evaluations);
    this.trainings = List.copyOf(trainings);
  }

  /** Scores as the report prints them: four decimals. */
  static String number(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }

  String markdown() {
    StringBuilder md = new StringBuilder("# Penguin species: three models and their ensemble\n\n");
    md.append(introduction()).append("\n\n");
    md.append("| model | trained on | training time | accuracy | macro F1 | errors |\n");
    md.append("|---|---|---:|---:|---:|---:|\n");
    for (Evaluation evaluation : evaluations) {
      Scores s = evaluation.scores();
      md.append("| ").append(evaluation.model()).append(" | ").append(where(evaluation.model())).append(" | ")
          .append(trainingTime(evaluation.model())).append(" | ").append(number(s.accuracy())).append(" | ")
          .append(number(s.macroF1())).append(" | ").append(s.total() - s.correct()).append(" of ").append(s.total())
          .append(" |\n");
    }
    md.append("\n## F1 per species\n\n| model | ").append(String.join(" | ", classes())).append(" |\n|---|");
    md.append("---:|".repeat(classes().size())).append('\n');
    for (Evaluation evaluation : evaluations) {
      md.append("| ").append(evaluation.model());
      for (int c = 0; c < classes().size(); c++) {
        md.append(" | ").append(number(evaluation.scores().f1(c)));
      }
      md.append(" |\n");
    }
    md.append("\n## Confusion matrices\n\nRows: actual species; columns: predicted species.\n");
    for (Evaluation evaluation : evaluations) {
      md.append("\n### ").append(evaluation.model()).append("\n\n| actual \\ predicted | ")
          .append(String.join(" | ", classes())).append(" |\n|---|").append("---:|".repeat(classes().size())).append('\n');
      long[][] confusion = evaluation.scores().confusion();
      for (int a = 0; a < classes().size(); a++) {
        md.append("| ").append(classes().get(a));
        for (long count : confusion[a]) {
          md.append(" | ").append(count);
        }
        md.append(" |\n");
      }
    }
    md.append("\n## Trainings\n\n").append(overlap()).append("\n\n");
    md.append("| model | tier | remote run | commit | process started (UTC) | training (UTC) | trainer |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (Training t : trainings) {
      md.append("| ").append(t.model()).append(" | ").append(t.tier()).append(" | ").append(t.runId()).append(" | ")
          .append(shortCommit(t.commit())).append(" | ").append(TIME.format(t.processStarted())).append(" | ")
          .append(TIME.format(t.trainingStarted())).append(" to ").append(TIME.format(t.trainingFinished()))
          .append(" | ").append(t.trainer().replace("|", "\\|")).append(" |\n");
    }
    md.append("\n## How the numbers are computed\n\n").append(method()).append('\n');
    return md.toString();
  }

  String html() {
    StringBuilder html = new StringBuilder("""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Penguin species: score report</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:70em}
        table{border-collapse:collapse;margin:.8em 0}td,th{border-bottom:1px solid #ddd;padding:.3em .8em;text-align:left}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tr.ensemble td{font-weight:bold}
        .matrices{display:flex;flex-wrap:wrap;gap:2em}.diag{background:#e3f6e3}
        small,.note{color:#555}small{overflow-wrap:anywhere}
        </style></head><body>
        <h1>Penguin species: three models and their ensemble</h1>
        """);
    html.append("<p>").append(escape(introduction())).append("</p>\n");
    html.append("<table><tr><th>model</th><th>trained on</th><th class=\"n\">training time</th>"
        + "<th class=\"n\">accuracy</th><th class=\"n\">macro F1</th><th class=\"n\">errors</th></tr>\n");
    for (Evaluation evaluation : evaluations) {
      Scores s = evaluation.scores();
      html.append("<tr").append(evaluation.model().equals(CombineModels.ENSEMBLE) ? " class=\"ensemble\"" : "")
          .append("><td>").append(escape(evaluation.model())).append("</td><td>").append(escape(where(evaluation.model())))
          .append("</td><td class=\"n\">").append(trainingTime(evaluation.model())).append("</td><td class=\"n\">")
          .append(number(s.accuracy())).append("</td><td class=\"n\">").append(number(s.macroF1()))
          .append("</td><td class=\"n\">").append(s.total() - s.correct()).append(" of ").append(s.total())
          .append("</td></tr>\n");
    }
    html.append("</table>\n").append(scoreChart());

    html.append("<h2>F1 per species</h2>\n<table><tr><th>model</th>");
    classes().forEach(c -> html.append("<th class=\"n\">").append(escape(c)).append("</th>"));
    html.append("</tr>\n");
    for (Evaluation evaluation : evaluations) {
      html.append("<tr><td>").append(escape(evaluation.model())).append("</td>");
      for (int c = 0; c < classes().size(); c++) {
        html.append("<td class=\"n\">").append(number(evaluation.scores().f1(c))).append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</table>\n");

    html.append("<h2>Confusion matrices</h2>\n<p class=\"note\">Rows: actual species; columns: predicted species.</p>\n"
        + "<div class=\"matrices\">\n");
    for (Evaluation evaluation : evaluations) {
      html.append("<div><h3>").append(escape(evaluation.model())).append("</h3><table><tr><th>actual \\ predicted</th>");
      classes().forEach(c -> html.append("<th class=\"n\">").append(escape(c)).append("</th>"));
      html.append("</tr>\n");
      long[][] confusion = evaluation.scores().confusion();
      for (int a = 0; a < classes().size(); a++) {
        html.append("<tr><th>").append(escape(classes().get(a))).append("</th>");
        for (int p = 0; p < classes().size(); p++) {
          html.append("<td class=\"n").append(a == p ? " diag" : "").append("\">").append(confusion[a][p]).append("</td>");
        }
        html.append("</tr>\n");
      }
      html.append("</table></div>\n");
    }
    html.append("</div>\n");

    html.append("<h2>Trainings</h2>\n<p>").append(escape(overlap())).append("</p>\n").append(timeline());
    html.append("<table><tr><th>model</th><th>tier</th><th>remote run</th><th>commit</th>"
        + "<th>process started (UTC)</th><th>training (UTC)</th><th>trainer</th></tr>\n");
    for (Training t : trainings) {
      html.append("<tr><td>").append(escape(t.model())).append("</td><td>").append(escape(t.tier())).append("</td><td>")
          .append(escape(t.runId())).append("</td><td>").append(escape(shortCommit(t.commit()))).append("</td><td>")
          .append(TIME.format(t.processStarted())).append("</td><td>").append(TIME.format(t.trainingStarted()))
          .append(" to ").append(TIME.format(t.trainingFinished())).append("</td><td><small>")
          .append(escape(t.trainer())).append("</small></td></tr>\n");
    }
    html.append("</table>\n<h2>How the numbers are computed</h2>\n<p>").append(escape(method())).append("</p>\n");
    return html.append("</body></html>\n").toString();
  }

  private String introduction() {
    long test = evaluations.get(0).scores().total();
    String train = trainings.isEmpty() ? "the" : Integer.toString(trainings.get(0).trainExamples());
    String where = trainings.stream().map(t -> t.model() + " on tier " + t.tier()).collect(Collectors.joining(", "));
    return "Each model was trained on " + train + " birds of the train split by a remote run (" + where
        + "), and the ensemble averages the class probabilities of the " + trainings.size() + " models. All are"
        + " scored on the " + test + " birds of the held-out test split.";
  }

  private static String method() {
    return "From predictions.csv, one row per test bird with each model's probability for each species: a model"
        + " predicts its most probable species (ties go to the first in name order), and the ensemble's"
        + " probabilities are the mean of the models'. Accuracy is the share of birds predicted right. A species'"
        + " precision is the share right of the birds predicted as it, its recall the share found of the birds of"
        + " it, its F1 2PR/(P+R) (0 when P and R are); macro F1 is the unweighted mean of the species' F1.";
  }

  /** Whether all remote runs were running at once: every process started before any training ended. */
  private String overlap() {
    if (trainings.size() < 2) {
      return "";
    }
    Instant lastStart = trainings.stream().map(Training::processStarted).max(Comparator.naturalOrder()).orElseThrow();
    Instant firstEnd = trainings.stream().map(Training::trainingFinished).min(Comparator.naturalOrder()).orElseThrow();
    if (lastStart.isBefore(firstEnd)) {
      return "The " + trainings.size() + " remote runs ran at the same time: all their processes were running from "
          + TIME.format(lastStart) + " to " + TIME.format(firstEnd) + " UTC (" + seconds(Duration.between(lastStart, firstEnd))
          + ")" + (trainings.stream().map(Training::tier).distinct().count() == trainings.size()
          ? ", each on a tier of its own." : ".");
    }
    return "The remote runs did not all run at the same time: one finished training at " + TIME.format(firstEnd)
        + " UTC, before the last one started at " + TIME.format(lastStart) + " UTC.";
  }

  private String where(String model) {
    return training(model).map(t -> "tier " + t.tier()).orElse("average of the " + trainings.size() + " models");
  }

  private String trainingTime(String model) {
    return training(model).map(t -> seconds(Duration.between(t.trainingStarted(), t.trainingFinished()))).orElse("");
  }

  private Optional<Training> training(String model) {
    return trainings.stream().filter(t -> t.model().equals(model)).findFirst();
  }

  private List<String> classes() {
    return evaluations.get(0).scores().classes();
  }

  /**
   * Accuracy and macro F1 of each model as bars, on an axis from a round value below the lowest
   * to 1 (its ticks are labelled), so that differences of one bird are visible.
   */
  private String scoreChart() {
    double lowest = evaluations.stream().mapToDouble(e -> Math.min(e.scores().accuracy(), e.scores().macroF1()))
        .min().orElse(0);
    double floor = Math.max(0, Math.floor(lowest * 10 - 0.5) / 10);
    int left = 110;
    int plotWidth = 420;
    int rowHeight = 44;
    int height = evaluations.size() * rowHeight + 50;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg width=\"").append(left + plotWidth + 90).append("\" height=\"").append(height)
        .append("\" role=\"img\" aria-label=\"accuracy and macro F1 of each model\">\n");
    for (int i = 0; i <= 4; i++) {
      double value = floor + (1 - floor) * i / 4;
      double x = left + plotWidth * i / 4.0;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
          + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">%.3f</text>%n",
          x, x, height - 38, x, height - 24, value));
    }
    for (int i = 0; i < evaluations.size(); i++) {
      Evaluation evaluation = evaluations.get(i);
      int y = i * rowHeight + 6;
      svg.append("<text x=\"0\" y=\"").append(y + 22).append("\" font-size=\"13\">").append(escape(evaluation.model()))
          .append("</text>\n");
      bar(svg, "accuracy", evaluation, evaluation.scores().accuracy(), floor, left, plotWidth, y, COLORS[0]);
      bar(svg, "macro F1", evaluation, evaluation.scores().macroF1(), floor, left, plotWidth, y + 16, COLORS[1]);
    }
    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
        + "<text x=\"%d\" y=\"%d\" font-size=\"12\">accuracy</text>"
        + "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
        + "<text x=\"%d\" y=\"%d\" font-size=\"12\">macro F1</text>%n",
        left, height - 12, COLORS[0], left + 14, height - 2, left + 100, height - 12, COLORS[1], left + 114,
        height - 2));
    return svg.append("</svg>\n").toString();
  }

  private static void bar(StringBuilder svg, String what, Evaluation evaluation, double value, double floor, int left,
      int plotWidth, int y, String color) {
    double width = Math.max(1, plotWidth * (value - floor) / (1 - floor));
    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"%s\">"
        + "<title>%s %s: %s</title></rect><text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>%n",
        left, y, width, color, escape(evaluation.model()), what, number(value), left + width + 4, y + 11, number(value)));
  }

  /** Each remote run from its process's start: light until its training starts, dark while it trains. */
  private String timeline() {
    if (trainings.isEmpty()) {
      return "";
    }
    Instant origin = trainings.stream().map(Training::processStarted).min(Comparator.naturalOrder()).orElseThrow();
    Instant end = trainings.stream().map(Training::trainingFinished).max(Comparator.naturalOrder()).orElseThrow();
    double span = Math.max(1, Duration.between(origin, end).toMillis());
    int left = 110;
    int plotWidth = 520;
    int rowHeight = 26;
    int height = trainings.size() * rowHeight + 40;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg width=\"").append(left + plotWidth + 20).append("\" height=\"").append(height)
        .append("\" role=\"img\" aria-label=\"timeline of the remote trainings\">\n");
    for (int i = 0; i <= 4; i++) {
      double x = left + plotWidth * i / 4.0;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
          + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">%.1f s</text>%n",
          x, x, height - 28, x, height - 14, span * i / 4 / 1000));
    }
    for (int i = 0; i < trainings.size(); i++) {
      Training t = trainings.get(i);
      int y = i * rowHeight + 4;
      String color = COLORS[(i + 2) % COLORS.length];
      double start = left + plotWidth * Duration.between(origin, t.processStarted()).toMillis() / span;
      double training = left + plotWidth * Duration.between(origin, t.trainingStarted()).toMillis() / span;
      double finish = left + plotWidth * Duration.between(origin, t.trainingFinished()).toMillis() / span;
      svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" font-size=\"13\">%s</text>"
          + "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\" opacity=\"0.3\">"
          + "<title>%s: process start to training (%s)</title></rect>"
          + "<rect class=\"training\" data-model=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\">"
          + "<title>%s trains on tier %s (%s)</title></rect>%n",
          y + 13, escape(t.model()), start, y, Math.max(1, training - start), color, escape(t.model()),
          seconds(Duration.between(t.processStarted(), t.trainingStarted())), escape(t.model()), training, y,
          Math.max(2, finish - training), color, escape(t.model()), escape(t.tier()),
          seconds(Duration.between(t.trainingStarted(), t.trainingFinished()))));
    }
    svg.append("<text x=\"").append(left).append("\" y=\"").append(height - 1)
        .append("\" font-size=\"11\" fill=\"#555\">light: the remote process starts and prepares the features;"
            + " dark: training</text>\n");
    return svg.append("</svg>\n").toString();
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.2f s", duration.toMillis() / 1000.0);
  }

  private static String shortCommit(String commit) {
    return commit.length() > 12 ? commit.substring(0, 12) : commit;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
