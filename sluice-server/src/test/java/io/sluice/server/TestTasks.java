package io.sluice.server;

import io.sluice.LocalTarget;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.WrapperTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Small real pipelines whose tasks write files under a directory and log what they do. */
final class TestTasks {

  static final String XSS = "<script>alert(1)</script>";

  private TestTasks() {}

  /** Appends to the task's log file, as a task's subprocess does (in-process logging goes where SLF4J sends it). */
  static void log(TaskContext context, String line) throws IOException {
    Files.createDirectories(context.logFile().getParent());
    Files.writeString(context.logFile(), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Writes its number; logs a line. */
  record Score(String dir, int item) implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of(Path.of(dir, "score-" + item + ".txt"));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      log(context, "scoring item " + item);
      try (var out = output().openWriter()) {
        out.write("score " + item);
      }
    }
  }

  /** Logs, then fails. */
  record Broken(String dir) implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of(Path.of(dir, "broken.txt"));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      log(context, "reading the input of the broken task");
      throw new IllegalStateException("input file is corrupt at line 7");
    }
  }

  /** A parameter value that is markup: pages must show it as text. */
  record Labelled(String dir, String label) implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of(Path.of(dir, "labelled.txt"));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      try (var out = output().openWriter()) {
        out.write(label);
      }
    }
  }

  /** {@code scores} scores, a broken task and a labelled one. */
  record Report(String dir, int scores) implements WrapperTask {
    @Override
    public List<? extends Task> requires() {
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < scores; i++) {
        tasks.add(new Score(dir, i));
      }
      tasks.add(new Broken(dir));
      tasks.add(new Labelled(dir, XSS));
      return tasks;
    }
  }

  /** Runs every time and does nothing: a big run without a file per task. */
  record Tick(int item) implements Task {
    @Override
    public boolean complete() {
      return false;
    }

    @Override
    public void run(TaskContext context) {}
  }

  /** {@code ticks} ticks, a broken task and a labelled one: the big run. */
  record Ticks(String dir, int ticks) implements WrapperTask {
    @Override
    public List<? extends Task> requires() {
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < ticks; i++) {
        tasks.add(new Tick(i));
      }
      tasks.add(new Broken(dir));
      tasks.add(new Labelled(dir, XSS));
      return tasks;
    }
  }

  /** Waits until its file appears (at most a minute): a run that is still going while a test looks at it. */
  record Gate(String file) implements Task {
    @Override
    public boolean complete() {
      return false;
    }

    @Override
    public void run(TaskContext context) throws InterruptedException {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!Files.exists(Path.of(file)) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }
  }

  /** A tick that waits for the gate: a big run of which only the gate has started. */
  record GatedTick(String file, int item) implements Task {
    @Override
    public List<? extends Task> requires() {
      return List.of(new Gate(file));
    }

    @Override
    public boolean complete() {
      return false;
    }

    @Override
    public void run(TaskContext context) {}
  }

  /** {@code ticks} gated ticks: a run that plans many tasks and starts them only once the file appears. */
  record GatedTicks(String file, int ticks) implements WrapperTask {
    @Override
    public List<? extends Task> requires() {
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < ticks; i++) {
        tasks.add(new GatedTick(file, i));
      }
      return tasks;
    }
  }

  /**
   * Tells the notes a remote run tells (submitted, running, with their details), then waits
   * for its file like {@link Gate}: a remote run in progress without a cluster.
   */
  record RemoteGate(String file, String tier) implements Task {
    @Override
    public boolean complete() {
      return false;
    }

    @Override
    public void run(TaskContext context) throws InterruptedException {
      String details = " (slurm run run-" + tier + "-1, tier " + tier + ", commit 0123456789ab)";
      context.note("submitted" + details, new io.sluice.RemoteRunDetails("slurm", "run-" + tier + "-1", tier,
          "0123456789ab", io.sluice.RemoteRunDetails.Phase.SUBMITTED));
      context.note("running" + details, new io.sluice.RemoteRunDetails("slurm", "run-" + tier + "-1", tier,
          "0123456789ab", io.sluice.RemoteRunDetails.Phase.RUNNING));
      new Gate(file).run(context);
    }
  }

  /**
   * Two remote gates (tiers Small and Large) and a gate: with two workers, a run whose two remote
   * runs go on until the file appears while the gate waits for a worker.
   */
  record Busy(String file) implements WrapperTask {
    @Override
    public List<? extends Task> requires() {
      return List.of(new RemoteGate(file, "Small"), new RemoteGate(file, "Large"), new Gate(file));
    }
  }

  /** A {@link Gate} that holds a GPU and 4 GB of memory while it waits. */
  record GpuGate(String file, int item) implements Task {
    @Override
    public boolean complete() {
      return false;
    }

    @Override
    public io.sluice.Resources resources() {
      return io.sluice.Resources.of("gpu", 1, "memory_gb", 4);
    }

    @Override
    public void run(TaskContext context) throws InterruptedException {
      new Gate(file).run(context);
    }
  }

  /** Two GPU gates and a gate: with two workers, a run that holds 2 GPUs and 8 GB until the file appears. */
  record Hungry(String file) implements WrapperTask {
    @Override
    public List<? extends Task> requires() {
      return List.of(new GpuGate(file, 1), new GpuGate(file, 2), new Gate(file));
    }
  }

  /** Works for {@code millis} (a task's real work, not a wait for something), logging as it goes. */
  static void work(TaskContext context, String what, long millis) throws IOException, InterruptedException {
    log(context, what + " for " + millis + " ms");
    Thread.sleep(millis);
    log(context, what + " done");
  }

  /** The ensemble's first step: the data every model trains on. */
  record PrepareData(String dir) implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of(Path.of(dir, "data.csv"));
    }

    @Override
    public void run(TaskContext context) throws IOException, InterruptedException {
      work(context, "cleaning the data", 300);
      try (var out = output().openWriter()) {
        out.write("x,y\n1,2\n");
      }
    }
  }

  /** Trains one model; model {@code failing} fails. */
  record TrainModel(String dir, int model, int failing) implements Task {
    @Override
    public List<? extends Task> requires() {
      return List.of(new PrepareData(dir));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(Path.of(dir, "model-" + model + ".bin"));
    }

    @Override
    public void run(TaskContext context) throws IOException, InterruptedException {
      work(context, "training model " + model, 150 + 60L * (model % 5));
      if (model == failing) {
        throw new IllegalStateException("model " + model + " diverged: loss is NaN after epoch 3");
      }
      try (var out = output().openWriter()) {
        out.write("weights " + model);
      }
    }
  }

  /** Scores one model. */
  record Evaluate(String dir, int model, int failing) implements Task {
    @Override
    public List<? extends Task> requires() {
      return List.of(new TrainModel(dir, model, failing));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(Path.of(dir, "score-" + model + ".txt"));
    }

    @Override
    public void run(TaskContext context) throws IOException, InterruptedException {
      work(context, "evaluating model " + model, 80);
      try (var out = output().openWriter()) {
        out.write("0." + model);
      }
    }
  }

  /** The model ensemble: prepare, train and evaluate {@code models} models (one failing, or none: -1), report. */
  record Ensemble(String dir, int models, int failing) implements Task {
    @Override
    public List<? extends Task> requires() {
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < models; i++) {
        tasks.add(new Evaluate(dir, i, failing));
      }
      return tasks;
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(Path.of(dir, "report.txt"));
    }

    @Override
    public void run(TaskContext context) throws IOException, InterruptedException {
      work(context, "writing the report", 50);
      try (var out = output().openWriter()) {
        out.write("ensemble of " + models);
      }
    }
  }

  /** Only scores: a run that succeeds. */
  record Scores(String dir, int scores) implements WrapperTask {
    @Override
    public List<? extends Task> requires() {
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < scores; i++) {
        tasks.add(new Score(dir, i));
      }
      return tasks;
    }
  }
}
