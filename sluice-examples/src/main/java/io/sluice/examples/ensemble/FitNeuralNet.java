package io.sluice.examples.ensemble;

import io.sluice.Description;
import io.sluice.LocalTarget;
import io.sluice.Param;
import io.sluice.ProgramTask;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.Tasks;
import io.sluice.examples.ExtractFeatures;
import java.util.List;
import java.util.Map;

/**
 * Trains a small neural network in Python: {@code mlp.py}, a multilayer perceptron written with
 * the standard library only, run as a program. It writes the same {@link ModelFile} layout as
 * the Java trainers, weights as JSON. {@link TrainNeuralNet} runs this task on tier GPU.
 *
 * @param hidden the tanh units of the hidden layer
 * @param epochs passes over the training data
 * @param learningRate the gradient step
 * @param seed the seed of the initial weights and of the shuffles
 */
@Description("Trains a neural network (Python, standard library only); writes ensemble_pipeline/neural_net.zip")
public record FitNeuralNet(
    @Param(defaultValue = "16", description = "units of the hidden layer") int hidden,
    @Param(defaultValue = "200", description = "passes over the training data") int epochs,
    @Param(defaultValue = "0.05", description = "gradient step") double learningRate,
    @Param(defaultValue = "42", description = "seed of the initial weights and the shuffles") long seed)
    implements ProgramTask {

  /** The program, relative to the project root: the remote side runs the snapshot's copy. */
  static final String SCRIPT = "sluice-examples/src/main/python/mlp.py";

  public FitNeuralNet {
    if (hidden < 1 || epochs < 1 || !(learningRate > 0)) {
      throw new IllegalArgumentException("hidden " + hidden + ", epochs " + epochs + ", learningRate " + learningRate
          + ": each must be above 0");
    }
  }

  @Override
  public List<Task> requires() {
    return List.of(Tasks.create(ExtractFeatures.class));
  }

  @Override
  public LocalTarget output() {
    return LocalTarget.of("ensemble_pipeline", "neural_net.zip");
  }

  /** The script is this task's code: under the fingerprint policy a change to it retrains the network. */
  @Override
  public List<java.nio.file.Path> codeFiles() {
    return List.of(java.nio.file.Path.of(SCRIPT));
  }

  @Override
  public List<String> command(TaskContext ctx) throws Exception {
    LocalTarget features = ctx.input();
    return List.of("python3", SCRIPT, "--features", features.path().toString(),
        "--output", output().writePath().toString(), "--hidden", Integer.toString(hidden),
        "--epochs", Integer.toString(epochs), "--learning-rate", Double.toString(learningRate),
        "--seed", Long.toString(seed));
  }

  /** When this JVM (a remote run's process) started, for the training timeline. */
  @Override
  public Map<String, String> environment() {
    return Map.of("PROCESS_STARTED_MS", Long.toString(ModelFile.processStarted()));
  }
}
