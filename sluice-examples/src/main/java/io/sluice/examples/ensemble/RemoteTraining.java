package io.sluice.examples.ensemble;

import io.sluice.LocalTarget;
import io.sluice.Settings;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.Tasks;
import io.sluice.examples.ExtractFeatures;
import io.sluice.remote.RemoteRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model trained by a remote run: a machine of {@link #tier()} runs {@code sluice run} of the
 * training task {@link #fit()}, from the project's files at the run's commit, and the one file
 * it writes (the model, with its test-split probabilities) comes back here. The training task is
 * an ordinary task: {@code sluice run FitForest} trains the same model on this machine.
 *
 * <p>The remote side prepares its own features from the snapshot (it sees no files of this
 * machine); they are the features this side makes, since the code, the data and the parameters
 * are the same, and {@link CombineModels} checks it: each model file names the SHA-256 of the
 * features it was trained on.
 *
 * <p>Under the fingerprint policy ({@code [core] up_to_date} in sluice.toml) a model is retrained
 * when a parameter of its training task changes, or its code as committed (the training task's
 * source file and the files it declares as code, such as the Python network), or the features:
 * not otherwise.
 */
public interface RemoteTraining extends Task {

  /** The task that trains the model where it runs; its single output is the model file. */
  Task fit();

  /** The hardware tier the training runs on, a {@code [tiers.X]} of sluice.toml. */
  String tier();

  /** The features, with their parameters from the command line, sluice.toml or defaults. */
  default ExtractFeatures features() {
    return Tasks.create(ExtractFeatures.class);
  }

  /** The remote run: {@code sluice run} of the training task, with every parameter passed on. */
  default RemoteRun remoteRun() {
    Task fit = fit();
    return RemoteRun.of(SluiceCommand.run(fit, features())).tier(tier())
        .output(((LocalTarget) fit.output()).path());
  }

  /**
   * The local features, which the remote side does not need, but which make the model out of
   * date when they change (and which the ensemble is scored on).
   */
  @Override
  default List<? extends Task> requires() {
    return List.of(features());
  }

  /** The training task's parameters: they are passed on to the remote side, so they make the model. */
  @Override
  default Map<String, String> builtWith() {
    Map<String, String> values = new LinkedHashMap<>();
    fit().id().params().forEach((name, value) -> values.put(name, String.valueOf(value)));
    return values;
  }

  /**
   * What the remote side runs, the training task's source and the files it declares as its code,
   * as the commit the remote run uses has them (git blob ids): an edit not committed, which the
   * remote side never sees, does not retrain the model.
   */
  @Override
  default Map<String, String> codeVersions(Settings settings) {
    List<Path> files = new ArrayList<>();
    files.add(Path.of("sluice-examples/src/main/java", fit().getClass().getName().replace('.', '/') + ".java"));
    files.addAll(fit().codeFiles());
    return remoteRun().codeVersionsOf(files, settings);
  }

  /** None read from the working tree: the remote side runs committed code (see {@link #codeVersions}). */
  @Override
  default List<Path> codeFiles() {
    return List.of();
  }

  @Override
  default LocalTarget output() {
    return remoteRun().output();
  }

  @Override
  default void run(TaskContext context) throws Exception {
    remoteRun().run(context);
  }
}
