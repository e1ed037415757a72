package io.sluice.examples.ensemble;

import io.sluice.Description;
import io.sluice.Param;
import io.sluice.Tasks;

/**
 * Trains the random forest by a remote run: {@code sluice run FitForest} on a machine of tier Large
 * (by default), and brings its model file back. See {@link RemoteTraining}.
 *
 * @param tier the hardware tier; not part of the task's identity, as it does not change the model
 */
@Description("Trains the random forest remotely (FitForest on tier Large)")
public record TrainForest(
    @Param(defaultValue = "Large", description = "hardware tier of the remote run", significant = false) String tier)
    implements RemoteTraining {

  @Override
  public FitForest fit() {
    return Tasks.create(FitForest.class);
  }
}
