package io.sluice.cli;

import io.sluice.Family;
import io.sluice.LocalTarget;
import io.sluice.Param;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.Tasks;
import java.util.List;

/** Two task classes named Train, as two packages of one project could hold; outputs under {@link TestPipeline#dir}. */
final class ClashingPipeline {

  private ClashingPipeline() {}

  /** Stands for a package {@code vision}. */
  static final class Vision {
    record Train(@Param(defaultValue = "1") int epochs) implements Task {
      public LocalTarget output() {
        return TestPipeline.file("vision-" + epochs + ".txt");
      }

      public void run(TaskContext ctx) throws Exception {
        output().writeString("vision");
      }
    }
  }

  /** Stands for a package {@code text}. */
  static final class Text {
    record Train(@Param(defaultValue = "1") int epochs) implements Task {
      public LocalTarget output() {
        return TestPipeline.file("text-" + epochs + ".txt");
      }

      public void run(TaskContext ctx) throws Exception {
        output().writeString("text");
      }
    }

    @Family("TextTrain")
    record NamedTrain(@Param(defaultValue = "1") int epochs) implements Task {
      public LocalTarget output() {
        return TestPipeline.file("text-named-" + epochs + ".txt");
      }

      public void run(TaskContext ctx) throws Exception {
        output().writeString("text");
      }
    }
  }

  /** Requires both Train classes: they must not become one task. */
  record Models() implements Task {
    public List<Task> requires() {
      return List.of(new Vision.Train(1), new Text.Train(1));
    }
  }

  /** The same, with the second class given a family of its own. */
  record NamedModels() implements Task {
    public List<Task> requires() {
      return List.of(new Vision.Train(1), Tasks.create(Text.NamedTrain.class));
    }
  }
}
