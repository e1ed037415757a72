package io.sluice.internal;

import io.sluice.LocalTarget;
import io.sluice.OutputWrites;
import io.sluice.ProgramTask;
import io.sluice.Settings;
import io.sluice.Target;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.TaskId;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A program task's command as it would be before it runs, for its fingerprint: asked of the task
 * with a context in which each output's write path is the output's own path (the temporary one
 * differs at every attempt), so that the same task gives the same command every time. A command
 * that needs more than that (a write path asked of the target itself, dynamic requirements) is
 * not known before it runs: it then counts as unchanged, and the task's class and parameters
 * still say when it changed.
 */
final class CommandPreview {

  /** The digest standing for a command that cannot be known before the task runs. */
  static final String UNKNOWN = "unknown";

  private CommandPreview() {}

  /** A short digest of the command (arguments may be secrets: they are not written out), or {@link #UNKNOWN}. */
  static String digest(ProgramTask task, TaskId id, List<? extends Task> requires, Settings settings, Path logDir) {
    List<String> command;
    try {
      command = task.command(new Context(id, requires, settings, logDir));
    } catch (Exception | LinkageError e) {
      return UNKNOWN;
    }
    if (command == null) {
      return UNKNOWN;
    }
    MessageDigest digest = ContentHashes.sha1();
    for (String argument : command) {
      digest.update((argument.length() + ":" + argument + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }

  /** What a program task sees while its command is previewed: no attempt, nothing to write. */
  private record Context(TaskId id, List<? extends Task> requires, Settings settings, Path logDir)
      implements TaskContext, OutputWrites {

    @Override
    public int attempt() {
      return 1;
    }

    @Override
    public List<Target> inputs() {
      List<Target> inputs = new ArrayList<>();
      requires.forEach(task -> inputs.addAll(task.outputs()));
      return inputs;
    }

    @Override
    public <T extends Target> T input() {
      List<Target> inputs = inputs();
      if (requires.size() != 1 || inputs.size() != 1) {
        throw new IllegalStateException("not exactly one input");
      }
      @SuppressWarnings("unchecked")
      T only = (T) inputs.get(0);
      return only;
    }

    @Override
    public <T extends Target> T input(Task required) {
      @SuppressWarnings("unchecked")
      T output = (T) required.output();
      return output;
    }

    @Override
    public <T extends Target> T input(Class<? extends Task> requiredType) {
      for (Task task : requires) {
        if (requiredType.isInstance(task)) {
          return input(task);
        }
      }
      throw new IllegalStateException("no required task of type " + requiredType.getSimpleName());
    }

    @Override
    public List<Target> require(List<? extends Task> tasks) {
      throw new IllegalStateException("dynamic requirements are not known before the task runs");
    }

    @Override
    public Path logFile() {
      return logDir.resolve(LogFiles.name(id));
    }

    @Override
    public Logger log() {
      return LoggerFactory.getLogger("sluice.task." + id.family());
    }

    @Override
    public <T> T shared(Class<T> type, Function<Settings, ? extends T> create) {
      throw new IllegalStateException("the run's shared objects are not made to preview a command");
    }

    @Override
    public void note(String message) {
      // nothing runs: nothing to tell
    }

    @Override
    public OutputWrites outputWrites() {
      return this;
    }

    @Override
    public boolean cancelled() {
      return false;
    }

    @Override
    public OutputStream open(LocalTarget target) {
      throw new IllegalStateException("nothing is written while a command is previewed");
    }

    @Override
    public Path writePath(LocalTarget target) {
      return target.path();
    }

    @Override
    public boolean durable() {
      return false;
    }
  }
}
