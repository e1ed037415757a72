package io.sluice.examples.ensemble;

import io.sluice.Description;
import io.sluice.LocalTarget;
import io.sluice.Param;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.Tasks;
import io.sluice.examples.ExtractFeatures;
import java.io.IOException;
import java.util.List;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.common.tree.RandomForestTrainer;

/**
 * Trains a random forest (Tribuo: CART trees on bootstrap samples, each split choosing among a
 * random share of the features, leaf class frequencies averaged) and writes its
 * {@link ModelFile}. {@link TrainForest} runs this task on a machine of tier Large.
 *
 * @param trees how many trees
 * @param maxDepth the depth limit of each tree
 * @param featureFraction the share of features each split chooses among
 * @param seed the seed of the bootstrap samples and feature choices
 */
@Description("Trains a random forest on the train split; writes ensemble_pipeline/forest.zip")
public record FitForest(
    @Param(defaultValue = "300", description = "number of trees") int trees,
    @Param(defaultValue = "8", description = "depth limit of each tree") int maxDepth,
    @Param(defaultValue = "0.4", description = "share of features each split chooses among") double featureFraction,
    @Param(defaultValue = "42", description = "seed of the bootstrap samples and feature choices") long seed)
    implements Task {

  public FitForest {
    if (trees < 1 || maxDepth < 1) {
      throw new IllegalArgumentException("trees is " + trees + " and maxDepth " + maxDepth + "; both must be 1 or more");
    }
    if (!(featureFraction > 0 && featureFraction < 1)) {
      throw new IllegalArgumentException("featureFraction is " + featureFraction
          + "; it must be between 0 and 1, exclusive (1 would make every tree alike)");
    }
  }

  @Override
  public List<Task> requires() {
    return List.of(Tasks.create(ExtractFeatures.class));
  }

  @Override
  public LocalTarget output() {
    return LocalTarget.of("ensemble_pipeline", "forest.zip");
  }

  @Override
  public void run(TaskContext ctx) throws IOException {
    var tree = new CARTClassificationTrainer(maxDepth, (float) featureFraction, seed);
    var forest = new RandomForestTrainer<>(tree, new FullyWeightedVotingCombiner(), trees, seed);
    TribuoTraining.train(ctx, "forest", forest, ctx.input(), output());
  }
}
