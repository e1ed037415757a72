package io.sluice.scenarios.containment;

import io.sluice.LocalTarget;
import io.sluice.ProgramTask;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.cli.Cli;
import io.sluice.remote.RemoteRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The pipeline the containment scenarios run with the real {@code sluice} command line, as a
 * child JVM in a git repository: {@code ContainmentPipeline TASK}. Each long task starts a
 * process that starts more in the background, one of them detached from its parent, then
 * creates {@code markers/started} and waits to be ended.
 */
public final class ContainmentPipeline {

  /** What every long task runs: a background child, a detached grandchild, the marker, a wait. */
  static final String HOLD = "sleep 300 & (sleep 301 &); touch %s; wait";

  private ContainmentPipeline() {}

  public static void main(String[] args) {
    Cli.run(args, ContainmentPipeline.class);
  }

  /** Where the test waits for the started marker: absolute, since remote sides run elsewhere. */
  static String startedMarker() {
    return Path.of("markers", "started").toAbsolutePath().toString();
  }

  /** A program task whose program leaves a child and a detached grandchild behind. */
  public record HoldingProgram() implements ProgramTask {
    @Override
    public LocalTarget output() {
      return LocalTarget.of("out/program.txt");
    }

    @Override
    public List<String> command(TaskContext context) {
      return List.of("sh", "-c", HOLD.formatted("'" + startedMarker() + "'"));
    }
  }

  /** A remote run on the local backend (tier with a time limit: {@code timeout} in the chain). */
  public record HoldingRemoteRun() implements Task {
    @Override
    public List<Task> requires() {
      // The sleepers start where the test looks for the run's processes, wherever workspaces are.
      String project = Path.of("").toAbsolutePath().toString();
      String script = "cd '" + project + "' || exit 1; " + HOLD.formatted(startedMarker());
      return List.of(RemoteRun.of(List.of("sh", "-c", script))
          .tier("Small").output("out/remote.txt"));
    }
  }

  /**
   * A remote {@code sluice} command, so the snapshot is built first with {@code [remote] build}:
   * the test's build script, which holds while {@code markers/hold-build} exists.
   */
  public record BuiltRemoteRun() implements Task {
    @Override
    public List<Task> requires() {
      return List.of(RemoteRun.of(List.of("sluice", "run", "Produce")).tier("Small").output("out/produced.txt"));
    }
  }

  /** What {@link BuiltRemoteRun} runs on the remote side, with the built classes. */
  public record Produce() implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of("out/produced.txt");
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("produced\n");
    }
  }
}
