package pipeline;

import io.sluice.Description;
import io.sluice.LocalTarget;
import io.sluice.Param;
import io.sluice.Task;
import io.sluice.TaskContext;
import java.io.IOException;

/** The first step: writes a text to count. Replace it with your own (fetch, clean, train...). */
@Description("Writes a short text to FILE.")
public record WriteText(@Param(defaultValue = "data/text.txt") String file) implements Task {

  @Override
  public LocalTarget output() {
    return LocalTarget.of(file);
  }

  @Override
  public void run(TaskContext context) throws IOException {
    // A temporary file, renamed into place when run() returns: never half a file.
    try (var out = output().openWriter()) {
      out.write("Sluice runs what is missing\nand skips what is done\n");
    }
  }
}
