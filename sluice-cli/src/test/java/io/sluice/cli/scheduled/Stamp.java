package io.sluice.cli.scheduled;

import io.sluice.LocalTarget;
import io.sluice.Task;
import io.sluice.TaskContext;
import java.io.IOException;

/** Writes {@code stamp.txt} in the working directory: the task a schedule of the server test runs. */
public record Stamp() implements Task {

  @Override
  public LocalTarget output() {
    return LocalTarget.of("stamp.txt");
  }

  @Override
  public void run(TaskContext context) throws IOException {
    try (var out = output().openWriter()) {
      out.write("stamped\n");
    }
  }
}
