package io.sluice.history;

import io.sluice.LocalTarget;
import io.sluice.RetryPolicy;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.WrapperTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Small real pipelines whose tasks write files under a directory. */
final class Pipelines {

  private Pipelines() {}

  /** Writes its name to its file. */
  record Write(String dir, String name) implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of(Path.of(dir, name + ".txt"));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      try (var out = output().openWriter()) {
        out.write(name);
      }
    }
  }

  /** Always fails. */
  record Fail(String dir) implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of(Path.of(dir, "never.txt"));
    }

    @Override
    public void run(TaskContext context) {
      throw new IllegalStateException("the input is broken");
    }
  }

  /** Needs {@link Fail}: never runs. */
  record AfterFail(String dir) implements Task {
    @Override
    public List<? extends Task> requires() {
      return List.of(new Fail(dir));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(Path.of(dir, "after.txt"));
    }

    @Override
    public void run(TaskContext context) {}
  }

  /** Fails its first attempt, succeeds on the second. */
  record Flaky(String dir) implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of(Path.of(dir, "flaky.txt"));
    }

    @Override
    public RetryPolicy retryPolicy() {
      return RetryPolicy.builder().maxAttempts(2).backoff(Duration.ZERO, Duration.ZERO).jitter(0).build();
    }

    @Override
    public void run(TaskContext context) throws IOException {
      Path marker = Path.of(dir, "flaky.tried");
      if (!Files.exists(marker)) {
        Files.createFile(marker);
        throw new IOException("first attempt fails");
      }
      try (var out = output().openWriter()) {
        out.write("ok");
      }
    }
  }

  /** A wrapper of everything above. */
  record Mixed(String dir) implements WrapperTask {
    @Override
    public List<? extends Task> requires() {
      return List.of(new Write(dir, "a"), new AfterFail(dir), new Flaky(dir));
    }
  }

  /** {@code count} independent writes. */
  record Many(String dir, int count) implements WrapperTask {
    @Override
    public List<? extends Task> requires() {
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        tasks.add(new Write(dir, "t" + i));
      }
      return tasks;
    }
  }
}
