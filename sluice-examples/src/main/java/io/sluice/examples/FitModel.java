package io.sluice.examples;

import io.sluice.Description;
import io.sluice.LocalTarget;
import io.sluice.Param;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.UpToDateTask;
import io.sluice.Tasks;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains a multinomial logistic regression (Tribuo, stochastic gradient descent with AdaGrad) on
 * the train split of the features and saves it in Tribuo's protobuf model format.
 *
 * @param epochs passes over the training data
 * @param learningRate the AdaGrad learning rate
 * @param seed the seed of the training shuffle
 */
@Description("Trains a logistic regression on the train split of the features")
public record FitModel(
    @Param(defaultValue = "20", description = "passes over the training data") int epochs,
    @Param(defaultValue = "0.5", description = "AdaGrad learning rate") double learningRate,
    @Param(defaultValue = "42", description = "seed of the training shuffle") long seed)
    implements UpToDateTask {

  public FitModel {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs is " + epochs + "; it must be 1 or more");
    }
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learningRate is " + learningRate + "; it must be above 0");
    }
  }

  @Override
  public List<Task> requires() {
    return List.of(Tasks.create(ExtractFeatures.class));
  }

  @Override
  public LocalTarget output() {
    return LocalTarget.of("penguin_pipeline", "model.ser");
  }

  @Override
  public void run(TaskContext ctx) throws IOException {
    LocalTarget featuresFile = ctx.input();
    FeatureFile features = FeatureFile.read(featuresFile);
    LabelFactory labels = new LabelFactory();
    MutableDataset<Label> train = new MutableDataset<>(
        new SimpleDataSourceProvenance(featuresFile + " (train split)", labels), labels);
    for (FeatureFile.Row row : features.split("train")) {
      train.add(features.example(row));
    }
    int noProgressLog = -1;
    int minibatchSize = 1;
    LinearSGDTrainer trainer = new LinearSGDTrainer(
        new LogMulticlass(), new AdaGrad(learningRate), epochs, noProgressLog, minibatchSize, seed);
    Model<Label> model = trainer.train(train);
    try (OutputStream out = output().openOutputStream()) {
      model.serializeToStream(out);
    }
    ctx.log().info("Trained on {} examples, {} features, classes {}: {}", train.size(),
        train.getFeatureMap().size(), train.getOutputs(), trainer);
  }
}
