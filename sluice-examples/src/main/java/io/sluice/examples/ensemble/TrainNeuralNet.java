package io.sluice.examples.ensemble;

import io.sluice.Description;
import io.sluice.Param;
import io.sluice.Tasks;

/**
 * Trains the Python neural network by a remote run: {@code sluice run FitNeuralNet} on a machine of tier GPU
 * (by default), and brings its model file back. See {@link RemoteTraining}.
 *
 * @param tier the hardware tier; not part of the task's identity, as it does not change the model
 */
@Description("Trains the Python neural network remotely (FitNeuralNet on tier GPU)")
public record TrainNeuralNet(
    @Param(defaultValue = "GPU", description = "hardware tier of the remote run", significant = false) String tier)
    implements RemoteTraining {

  @Override
  public FitNeuralNet fit() {
    return Tasks.create(FitNeuralNet.class);
  }
}
