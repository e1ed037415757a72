import io.sluice.Description;
import io.sluice.LocalTarget;
import io.sluice.Param;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.cli.Cli;
import io.sluice.remote.RemoteRun;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * A pipeline in one file, run by Java's source launcher with Sluice on the classpath:
 *
 * <pre>
 * java -cp "@SLUICE_LIB@/*" Pipeline.java CountWords
 * java -cp "@SLUICE_LIB@/*" Pipeline.java CountWords --remote true   # in a git repository
 * </pre>
 */
public final class Pipeline {

  private Pipeline() {}

  public static void main(String[] args) {
    Cli.run(args, Pipeline.class);
  }

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

  /** The second step: counts the words WriteText wrote; with --remote true, WriteText runs on tier Small. */
  @Description("Counts the words of WriteText's file.")
  public record CountWords(@Param(defaultValue = "false") boolean remote) implements Task {

    @Override
    public List<Task> requires() {
      if (remote) {
        // WriteText runs on a machine of tier Small (sluice.toml), from this file as of the last
        // commit, and its file comes back here.
        String file = "data/text-remote.txt";
        return List.of(RemoteRun.of(List.of("Pipeline.java", "WriteText", "--file", file)).tier("Small").output(file));
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
}
