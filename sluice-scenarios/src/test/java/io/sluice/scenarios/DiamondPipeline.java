package io.sluice.scenarios;

import io.sluice.LocalTarget;
import io.sluice.Task;
import io.sluice.TaskContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The pipeline of the {@code diamond} scenario: {@value #WIDTH} sources, then {@value #LAYERS}
 * - 1 layers of as many tasks, each requiring tasks i and i+1 (wrapping) of the layer below,
 * and a root requiring the whole top layer: {@value #TASKS} tasks with diamonds and fan-in everywhere. Each {@code run()}
 * appends one line naming its task to {@code runs.log} (appends of a short line are atomic), so
 * the test can count how often each task ran across processes.
 */
final class DiamondPipeline {

  static final int LAYERS = 5;
  static final int WIDTH = 40;
  static final int TASKS = LAYERS * WIDTH + 1;
  static final Path RUNS = Path.of("runs.log");

  private DiamondPipeline() {}

  static Task root() {
    return new Top();
  }

  /** Task {@code i} of layer 0. */
  record Source(int i) implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "layer0", i + ".txt");
    }

    @Override
    public void run(TaskContext context) throws IOException {
      logRun(context, 0);
      output().writeString(i + "\n");
    }
  }

  /** Task {@code i} of {@code layer}, 1 or more. */
  record Layer(int layer, int i) implements Task {
    @Override
    public List<Task> requires() {
      if (layer == 1) {
        return List.of(new Source(i), new Source((i + 1) % WIDTH));
      }
      return List.of(new Layer(layer - 1, i), new Layer(layer - 1, (i + 1) % WIDTH));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "layer" + layer, i + ".txt");
    }

    @Override
    public void run(TaskContext context) throws IOException {
      logRun(context, layer);
      long sum = i;
      for (var input : context.inputs()) {
        sum += Long.parseLong(((LocalTarget) input).readString().strip());
      }
      output().writeString(sum + "\n");
    }
  }

  /** The root: the sum of what the top layer holds. */
  record Top() implements Task {
    @Override
    public List<Layer> requires() {
      List<Layer> top = new ArrayList<>();
      for (int i = 0; i < WIDTH; i++) {
        top.add(new Layer(LAYERS - 1, i));
      }
      return top;
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of("out", "top.txt");
    }

    @Override
    public void run(TaskContext context) throws IOException {
      logRun(context, LAYERS);
      long sum = 0;
      for (var input : context.inputs()) {
        sum += Long.parseLong(((LocalTarget) input).readString().strip());
      }
      output().writeString(sum + "\n");
    }
  }

  /**
   * The system property naming how many processes must have planned their runs (marked {@code
   * planned-}) before a task goes on; a task that had to wait for them then works another half
   * second, so that they meet it running (none by default).
   */
  static final String HOLD_FOR = "diamond.hold.for";

  /** The system property naming the first layer whose tasks wait as {@link #HOLD_FOR} says (0 by default: all; the root's is {@link #LAYERS}). */
  static final String HOLD_FROM_LAYER = "diamond.hold.from.layer";

  private static void logRun(TaskContext context, int layer) throws IOException {
    Files.writeString(RUNS, context.id() + " " + ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    int holdFor = Integer.getInteger(HOLD_FOR, 0);
    if (holdFor > 0 && layer >= Integer.getInteger(HOLD_FROM_LAYER, 0) && !Markers.exist("planned-", holdFor)) {
      try {
        Markers.await("planned-", holdFor);
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }
}
