package io.sluice.examples.ensemble;

import io.sluice.Description;
import io.sluice.Param;
import io.sluice.Tasks;

/**
 * Trains the AdaBoost model by a remote run: {@code sluice run FitBoosting} on a machine of tier Small
 * (by default), and brings its model file back. See {@link RemoteTraining}.
 *
 * @param tier the hardware tier; not part of the task's identity, as it does not change the model
 */
@Description("Trains the AdaBoost model remotely (FitBoosting on tier Small)")
public record TrainBoosting(
    @Param(defaultValue = "Small", description = "hardware tier of the remote run", significant = false) String tier)
    implements RemoteTraining {

  @Override
  public FitBoosting fit() {
    return Tasks.create(FitBoosting.class);
  }
}
