package io.sluice.examples.ensemble;

import io.sluice.Description;
import io.sluice.LocalTarget;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.examples.Csv;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores each model and the ensemble on the held-out test split — accuracy, macro F1, F1 per
 * species, confusion matrix — from the saved predictions alone, so that anyone can recompute
 * them, and writes the report as Markdown and as a self-contained HTML page with charts.
 */
@Description("Scores the three models and the ensemble on the test split; writes score_report.md and .html")
public record ScoreReport() implements Task {

  /**
   * One model's scores.
   *
   * @param model the model's name in predictions.csv, such as {@code forest} or {@code ensemble}
   * @param scores its scores on the test split
   */
  public record Evaluation(String model, Scores scores) {}

  /**
   * One row of trainings.csv: where and when a model was trained.
   *
   * @param model the model's name
   * @param tier the hardware tier of its remote run ({@code local} when trained here)
   * @param runId the remote run's id
   * @param commit the commit it was trained from
   * @param processStarted when the remote run's process started
   * @param trainingStarted when the training itself started
   * @param trainingFinished when it finished
   * @param trainExamples the size of the train split
   * @param trainer the trainer and its settings
   */
  public record Training(String model, String tier, String runId, String commit, Instant processStarted,
      Instant trainingStarted, Instant trainingFinished, int trainExamples, String trainer) {}

  @Override
  public List<Task> requires() {
    return List.of(new CombineModels());
  }

  @Override
  public List<LocalTarget> outputs() {
    return List.of(markdownFile(), htmlFile());
  }

  public LocalTarget markdownFile() {
    return LocalTarget.of("ensemble_pipeline", "score_report.md");
  }

  public LocalTarget htmlFile() {
    return LocalTarget.of("ensemble_pipeline", "score_report.html");
  }

  @Override
  public void run(TaskContext ctx) throws IOException {
    CombineModels combined = new CombineModels();
    List<Evaluation> evaluations = evaluate(read(combined.predictionsFile()));
    List<Training> trainings = trainings(read(combined.trainingsFile()));
    ReportPages pages = new ReportPages(evaluations, trainings);
    markdownFile().writeString(pages.markdown());
    htmlFile().writeString(pages.html());
    for (Evaluation evaluation : evaluations) {
      ctx.log().info("{}: accuracy {}, macro F1 {}", evaluation.model(),
          ReportPages.number(evaluation.scores().accuracy()), ReportPages.number(evaluation.scores().macroF1()));
    }
  }

  /**
   * The scores of every model of predictions.csv (each {@code <model>_predicted} column), in
   * column order; the species are those of the first model's probability columns.
   */
  static List<Evaluation> evaluate(Csv.Table predictions) {
    List<String> header = predictions.header();
    List<String> models = header.stream().filter(c -> c.endsWith("_predicted"))
        .map(c -> c.substring(0, c.length() - "_predicted".length())).toList();
    if (models.isEmpty()) {
      throw new IllegalArgumentException(predictions.source() + " has no <model>_predicted column: " + header);
    }
    String prefix = models.get(0) + "_p_";
    List<String> classes = header.stream().filter(c -> c.startsWith(prefix)).map(c -> c.substring(prefix.length()))
        .toList();
    int actual = predictions.column("actual");
    List<String> actualLabels = predictions.rows().stream().map(row -> row.get(actual)).toList();
    List<Evaluation> evaluations = new ArrayList<>();
    for (String model : models) {
      int column = predictions.column(model + "_predicted");
      List<String> predicted = predictions.rows().stream().map(row -> row.get(column)).toList();
      evaluations.add(new Evaluation(model, Scores.of(classes, actualLabels, predicted)));
    }
    return evaluations;
  }

  static List<Training> trainings(Csv.Table table) {
    List<Training> trainings = new ArrayList<>();
    for (List<String> row : table.rows()) {
      trainings.add(new Training(row.get(table.column("model")), row.get(table.column("tier")),
          row.get(table.column("run_id")), row.get(table.column("commit")),
          Instant.parse(row.get(table.column("process_started"))),
          Instant.parse(row.get(table.column("training_started"))),
          Instant.parse(row.get(table.column("training_finished"))),
          Integer.parseInt(row.get(table.column("train_examples"))), row.get(table.column("trainer"))));
    }
    return trainings;
  }

  private static Csv.Table read(LocalTarget file) throws IOException {
    try (BufferedReader in = file.openReader()) {
      return Csv.read(in, file.toString());
    }
  }
}
