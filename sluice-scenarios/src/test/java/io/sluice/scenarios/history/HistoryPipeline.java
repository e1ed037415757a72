package io.sluice.scenarios.history;

import io.sluice.LocalTarget;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** A pipeline run as a real {@code sluice} process, recording its history, for the history's scenarios. */
public final class HistoryPipeline {

  private HistoryPipeline() {}

  public static void main(String[] args) {
    Cli.run(args, HistoryPipeline.class);
  }

  /** Writes one small file. */
  public record Quick() implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of("out/quick.txt");
    }

    @Override
    public void run(TaskContext context) throws Exception {
      output().writeString("quick\n");
    }
  }

  /** Marks {@code started} in the working directory, then waits (at most a minute) to be killed. */
  public record Hang() implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of("out/hang.txt");
    }

    @Override
    public void run(TaskContext context) throws Exception {
      Files.writeString(Path.of("started"), "");
      Instant limit = Instant.now().plus(Duration.ofMinutes(1));
      while (Instant.now().isBefore(limit)) {
        Thread.sleep(50);
      }
    }
  }
}
