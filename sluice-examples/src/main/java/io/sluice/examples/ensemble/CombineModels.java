package io.sluice.examples.ensemble;

import io.sluice.Description;
import io.sluice.LocalTarget;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.Tasks;
import io.sluice.examples.Csv;
import io.sluice.examples.ExtractFeatures;
import io.sluice.examples.FeatureFile;
import java.io.BufferedWriter;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ensemble: the average of the class probabilities of the three models on the test split.
 * It gathers what each training wrote into its model file (the test-split probabilities, where
 * and when it was trained), checks that every model was trained on these very features, and
 * writes {@code predictions.csv} — per test bird: its species, and for each model and the
 * ensemble the predicted species and the probability of each — and {@code trainings.csv}.
 */
@Description("Averages the three models' probabilities on the test split; writes predictions and trainings")
public record CombineModels() implements Task {

  /** The ensemble's members by the name their columns carry, in column order. */
  static Map<String, RemoteTraining> members() {
    Map<String, RemoteTraining> members = new LinkedHashMap<>();
    members.put("forest", Tasks.create(TrainForest.class));
    members.put("boosting", Tasks.create(TrainBoosting.class));
    members.put("neural_net", Tasks.create(TrainNeuralNet.class));
    return members;
  }

  /** The name of the averaged model's columns. */
  static final String ENSEMBLE = "ensemble";

  @Override
  public List<Task> requires() {
    List<Task> requires = new ArrayList<>(members().values());
    requires.add(Tasks.create(ExtractFeatures.class));
    return requires;
  }

  @Override
  public List<LocalTarget> outputs() {
    return List.of(predictionsFile(), trainingsFile());
  }

  /**
   * One row per test bird: {@code id, actual}, then for each model and the ensemble
   * {@code <model>_predicted} (the most probable species; ties go to the first in name order)
   * and {@code <model>_p_<species>}.
   */
  public LocalTarget predictionsFile() {
    return LocalTarget.of("ensemble_pipeline", "predictions.csv");
  }

  /** One row per model: where, when and how it was trained. */
  public LocalTarget trainingsFile() {
    return LocalTarget.of("ensemble_pipeline", "trainings.csv");
  }

  @Override
  public void run(TaskContext ctx) throws IOException {
    LocalTarget featuresFile = ctx.input(Tasks.create(ExtractFeatures.class));
    String featuresSha = ModelFile.sha256(featuresFile.path());
    FeatureFile features = FeatureFile.read(featuresFile);
    List<FeatureFile.Row> test = features.split("test");
    List<String> classes = features.split("train").stream().map(FeatureFile.Row::species).distinct().sorted().toList();

    Map<String, ModelFile> models = new LinkedHashMap<>();
    for (Map.Entry<String, RemoteTraining> member : members().entrySet()) {
      LocalTarget file = ctx.input(member.getValue());
      ModelFile model = ModelFile.read(file.path());
      check(model, member.getKey(), featuresSha, featuresFile, test, classes);
      models.put(member.getKey(), model);
    }

    try (BufferedWriter out = predictionsFile().openWriter()) {
      List<String> header = new ArrayList<>(List.of("id", "actual"));
      for (String name : names(models)) {
        header.add(name + "_predicted");
        classes.forEach(c -> header.add(name + "_p_" + c));
      }
      Csv.writeRecord(out, header);
      for (FeatureFile.Row row : test) {
        List<String> fields = new ArrayList<>(List.of(row.id(), row.species()));
        double[] mean = new double[classes.size()];
        for (ModelFile model : models.values()) {
          double[] p = model.probabilities().get(row.id());
          addColumns(fields, classes, p);
          for (int c = 0; c < mean.length; c++) {
            mean[c] += p[c] / models.size();
          }
        }
        addColumns(fields, classes, mean);
        Csv.writeRecord(out, fields);
      }
    }

    try (BufferedWriter out = trainingsFile().openWriter()) {
      Csv.writeRecord(out, List.of("model", "tier", "run_id", "commit", "process_started", "training_started",
          "training_finished", "training_seconds", "train_examples", "trainer"));
      for (Map.Entry<String, ModelFile> entry : models.entrySet()) {
        ModelFile model = entry.getValue();
        Instant started = model.time("training_started_ms");
        Instant finished = model.time("training_finished_ms");
        Csv.writeRecord(out, List.of(entry.getKey(), model.fact("tier"), model.fact("run_id"), model.fact("commit"),
            model.time("process_started_ms").toString(), started.toString(), finished.toString(),
            String.format(Locale.ROOT, "%.3f", Duration.between(started, finished).toMillis() / 1000.0),
            model.fact("train_examples"), model.fact("trainer")));
      }
    }
    ctx.log().info("Averaged {} models over {} test birds", models.size(), test.size());
  }

  private static List<String> names(Map<String, ModelFile> models) {
    List<String> names = new ArrayList<>(models.keySet());
    names.add(ENSEMBLE);
    return names;
  }

  private static void addColumns(List<String> fields, List<String> classes, double[] p) {
    fields.add(classes.get(argmax(p)));
    for (double value : p) {
      fields.add(Double.toString(value));
    }
  }

  /** The index of the highest value; the first one on ties. */
  static int argmax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The model must have been trained on these features, and predict the test rows over these classes. */
  private static void check(ModelFile model, String name, String featuresSha, LocalTarget featuresFile,
      List<FeatureFile.Row> test, List<String> classes) throws IOException {
    String trainedOn = model.fact("features_sha256");
    if (!trainedOn.equals(featuresSha)) {
      throw new IOException("the " + name + " model (" + model.path() + ") was trained on features with SHA-256 "
          + trainedOn + ", but " + featuresFile + " here has " + featuresSha + ": the remote side ran another commit"
          + " or other ExtractFeatures parameters. Delete " + model.path() + " to train it again.");
    }
    List<String> ids = test.stream().map(FeatureFile.Row::id).toList();
    if (!model.probabilities().keySet().equals(new HashSet<>(ids))) {
      throw new IOException("the " + name + " model (" + model.path() + ") has predictions for "
          + model.probabilities().size() + " rows, not for the " + ids.size() + " test rows of " + featuresFile);
    }
    if (!model.classes().equals(classes)) {
      throw new IOException("the " + name + " model (" + model.path() + ") gives probabilities for " + model.classes()
          + ", not for the species of the train split, " + classes);
    }
  }
}
