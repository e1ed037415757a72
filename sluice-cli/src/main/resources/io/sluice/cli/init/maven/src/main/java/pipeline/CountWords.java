package pipeline;

import io.sluice.Description;
import io.sluice.LocalTarget;
import io.sluice.Param;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.remote.RemoteRun;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** The second step: counts the words WriteText wrote; with --remote true, WriteText runs on tier Small. */
@Description("Counts the words of WriteText's file.")
public record CountWords(@Param(defaultValue = "false") boolean remote) implements Task {

  @Override
  public List<Task> requires() {
    if (remote) {
      // WriteText runs on a machine of tier Small (sluice.toml) from the last commit, and its
      // file comes back here. The command is the sluice command of that machine.
      String file = "data/text-remote.txt";
      return List.of(RemoteRun.of(List.of("sluice", "run", "WriteText", "--file", file)).tier("Small").output(file));
    }
    return List.of(new WriteText("data/text.txt"));
  }

  @Override
  public LocalTarget output() {
    return LocalTarget.of(remote ? "data/count-remote.txt" : "data/count.txt");
  }

  @Override
  public void run(TaskContext context) throws IOException {
    LocalTarget text = context.input();
    try (var out = output().openWriter()) {
      out.write(count(text.readLines()) + "\n");
    }
  }

  /** The number of words of the lines, words being separated by white space. */
  static long count(List<String> lines) {
    return lines.stream().flatMap(line -> Arrays.stream(line.trim().split("\\s+"))).filter(w -> !w.isEmpty()).count();
  }
}
