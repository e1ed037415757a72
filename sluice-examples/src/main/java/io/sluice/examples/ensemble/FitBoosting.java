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
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.AdaBoostTrainer;

/**
 * Trains AdaBoost (Tribuo's multi-class SAMME over shallow CART trees: each round fits a tree
 * to the examples the previous ones got wrong, weighted) and writes its {@link ModelFile}.
 * {@link TrainBoosting} runs this task on a machine of tier Small.
 *
 * @param rounds how many boosting rounds (trees)
 * @param depth the depth of each tree
 * @param seed the seed of the weighted resampling
 */
@Description("Trains AdaBoost over shallow trees on the train split; writes ensemble_pipeline/boosting.zip")
public record FitBoosting(
    @Param(defaultValue = "100", description = "boosting rounds") int rounds,
    @Param(defaultValue = "2", description = "depth of each tree") int depth,
    @Param(defaultValue = "42", description = "seed of the weighted resampling") long seed)
    implements Task {

  public FitBoosting {
    if (rounds < 1 || depth < 1) {
      throw new IllegalArgumentException("rounds is " + rounds + " and depth " + depth + "; both must be 1 or more");
    }
  }

  @Override
  public List<Task> requires() {
    return List.of(Tasks.create(ExtractFeatures.class));
  }

  @Override
  public LocalTarget output() {
    return LocalTarget.of("ensemble_pipeline", "boosting.zip");
  }

  @Override
  public void run(TaskContext ctx) throws IOException {
    // AdaBoost weighs the examples to sum to 1, so a child node must not need the weight of five
    // examples, CART's default: no tree could split and every round would vote for one species.
    float minChildWeight = 1e-6f;
    float minImpurityDecrease = 0;
    float allFeatures = 1;
    var tree = new CARTClassificationTrainer(depth, minChildWeight, minImpurityDecrease, allFeatures, false,
        new GiniIndex(), seed);
    var boosting = new AdaBoostTrainer(tree, rounds, seed);
    TribuoTraining.train(ctx, "boosting", boosting, ctx.input(), output());
  }
}
