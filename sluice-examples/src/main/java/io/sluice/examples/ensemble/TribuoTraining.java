package io.sluice.examples.ensemble;

import io.sluice.LocalTarget;
import io.sluice.TaskContext;
import io.sluice.examples.FeatureFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains a Tribuo classifier on the train split of the features and writes its {@link ModelFile}:
 * the model in Tribuo's format, the class probabilities of the test split, the training facts.
 */
final class TribuoTraining {

  /**
   * Tribuo's ensemble trainers log every member they build at INFO: quieter, as the task logs
   * one line per training. Held here, as java.util.logging keeps loggers only weakly.
   */
  private static final List<Logger> ENSEMBLE_LOGGERS = List.of(
      Logger.getLogger("org.tribuo.ensemble"), Logger.getLogger("org.tribuo.classification.ensemble"));

  private TribuoTraining() {}

  static void train(TaskContext ctx, String name, Trainer<Label> trainer, LocalTarget featuresFile,
      LocalTarget output) throws IOException {
    Map<String, String> facts = ModelFile.where(name, featuresFile.path());
    FeatureFile features = FeatureFile.read(featuresFile);
    LabelFactory labels = new LabelFactory();
    MutableDataset<Label> train = new MutableDataset<>(
        new SimpleDataSourceProvenance(featuresFile + " (train split)", labels), labels);
    for (FeatureFile.Row row : features.split("train")) {
      train.add(features.example(row));
    }
    ENSEMBLE_LOGGERS.forEach(logger -> logger.setLevel(Level.WARNING));
    long started = System.currentTimeMillis();
    Model<Label> model = trainer.train(train);
    long finished = System.currentTimeMillis();

    List<FeatureFile.Row> test = features.split("test");
    List<Prediction<Label>> predictions = model.predict(test.stream().map(features::example).toList());
    List<String> classes = model.getOutputIDInfo().getDomain().stream().map(Label::getLabel).sorted().toList();
    Map<String, double[]> probabilities = new LinkedHashMap<>();
    for (int i = 0; i < test.size(); i++) {
      probabilities.put(test.get(i).id(), probabilities(predictions.get(i), classes));
    }
    facts.put("trainer", trainer.toString());
    facts.put("train_examples", Integer.toString(train.size()));
    facts.put("test_examples", Integer.toString(test.size()));
    facts.put("training_started_ms", Long.toString(started));
    facts.put("training_finished_ms", Long.toString(finished));
    ModelFile.write(output, dir -> {
      try (OutputStream out = Files.newOutputStream(dir.resolve("model.ser"))) {
        model.serializeToStream(out);
      }
    }, classes, probabilities, facts);
    ctx.log().info("Trained {} in {} ms on {} examples (tier {}): {}", name, finished - started, train.size(),
        facts.get("tier"), trainer);
  }

  /**
   * A prediction's scores for the classes, scaled to sum to 1: Tribuo's tree ensembles score by
   * (weighted) votes or averaged leaf frequencies, which already do, up to rounding.
   */
  private static double[] probabilities(Prediction<Label> prediction, List<String> classes) {
    double[] p = new double[classes.size()];
    double sum = 0;
    for (int c = 0; c < p.length; c++) {
      Label score = prediction.getOutputScores().get(classes.get(c));
      p[c] = score == null ? 0 : Math.max(0, score.getScore());
      sum += p[c];
    }
    for (int c = 0; c < p.length; c++) {
      p[c] = sum > 0 ? p[c] / sum : 1.0 / p.length;
    }
    return p;
  }
}
