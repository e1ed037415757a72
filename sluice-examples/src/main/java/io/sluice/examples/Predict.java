package io.sluice.examples;

import io.sluice.Description;
import io.sluice.LocalTarget;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.UpToDateTask;
import io.sluice.Tasks;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Predicts the species of the test split with the fitted model and scores it: the predictions
 * with their class probabilities, and the accuracy, macro F1, per-class scores and confusion
 * matrix.
 */
@Description("Predicts the test split and writes predictions and metrics")
public record Predict() implements UpToDateTask {

  @Override
  public List<Task> requires() {
    return List.of(Tasks.create(FitModel.class), Tasks.create(ExtractFeatures.class));
  }

  @Override
  public List<LocalTarget> outputs() {
    return List.of(predictionsFile(), metricsFile());
  }

  /** One row per test bird: id, actual and predicted species, and the probability of each. */
  public LocalTarget predictionsFile() {
    return LocalTarget.of("penguin_pipeline", "predictions.csv");
  }

  /** Accuracy, macro F1, per-class scores and the confusion matrix, as JSON. */
  public LocalTarget metricsFile() {
    return LocalTarget.of("penguin_pipeline", "metrics.json");
  }

  @Override
  public void run(TaskContext ctx) throws IOException {
    LocalTarget modelFile = ctx.input(Tasks.create(FitModel.class));
    LocalTarget featuresFile = ctx.input(Tasks.create(ExtractFeatures.class));
    Model<Label> model;
    try (InputStream in = modelFile.openInputStream()) {
      model = Model.deserializeFromStream(in).castModel(Label.class);
    }
    FeatureFile features = FeatureFile.read(featuresFile);
    List<FeatureFile.Row> test = features.split("test");
    List<Prediction<Label>> predictions = model.predict(test.stream().map(features::example).toList());
    List<String> classes = model.getOutputIDInfo().getDomain().stream().map(Label::getLabel).sorted().toList();

    try (BufferedWriter out = predictionsFile().openWriter()) {
      List<String> header = new ArrayList<>(List.of("id", "actual", "predicted"));
      classes.forEach(name -> header.add("p_" + name));
      Csv.writeRecord(out, header);
      for (int i = 0; i < test.size(); i++) {
        Prediction<Label> prediction = predictions.get(i);
        List<String> fields = new ArrayList<>(
            List.of(test.get(i).id(), test.get(i).species(), prediction.getOutput().getLabel()));
        classes.forEach(name -> fields.add(number(prediction.getOutputScores().get(name).getScore())));
        Csv.writeRecord(out, fields);
      }
    }

    LabelFactory labels = new LabelFactory();
    LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, predictions,
        new SimpleDataSourceProvenance(featuresFile + " (test split)", labels));
    try (BufferedWriter out = metricsFile().openWriter()) {
      out.write(metricsJson(evaluation, classes, features.split("train").size(), test.size()));
    }
    ctx.log().info("Test accuracy {}, macro F1 {} on {} birds", number(evaluation.accuracy()),
        number(evaluation.macroAveragedF1()), test.size());
  }

  private static String metricsJson(LabelEvaluation evaluation, List<String> classes, int trainSize, int testSize) {
    StringBuilder json = new StringBuilder("{\n");
    json.append("  \"train_examples\": ").append(trainSize).append(",\n");
    json.append("  \"test_examples\": ").append(testSize).append(",\n");
    json.append("  \"accuracy\": ").append(number(evaluation.accuracy())).append(",\n");
    json.append("  \"macro_f1\": ").append(number(evaluation.macroAveragedF1())).append(",\n");
    json.append("  \"per_class\": {\n");
    json.append(classes.stream().map(name -> {
      Label label = new Label(name);
      return "    \"" + name + "\": {\"precision\": " + number(evaluation.precision(label))
          + ", \"recall\": " + number(evaluation.recall(label))
          + ", \"f1\": " + number(evaluation.f1(label))
          + ", \"support\": " + (long) evaluation.getConfusionMatrix().support(label) + "}";
    }).collect(Collectors.joining(",\n"))).append("\n  },\n");
    json.append("  \"confusion_matrix\": {\n");
    json.append("    \"rows\": \"actual\",\n    \"columns\": \"predicted\",\n");
    json.append("    \"labels\": [").append(classes.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(", ")))
        .append("],\n");
    json.append("    \"counts\": [\n");
    json.append(classes.stream().map(actual -> "      [" + classes.stream()
        .map(predicted -> Long.toString((long) evaluation.confusion(new Label(predicted), new Label(actual))))
        .collect(Collectors.joining(", ")) + "]").collect(Collectors.joining(",\n")));
    json.append("\n    ]\n  }\n}\n");
    return json.toString();
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }
}
