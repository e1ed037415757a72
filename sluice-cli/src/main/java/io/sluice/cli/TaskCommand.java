package io.sluice.cli;

import io.sluice.SchedulingException;
import io.sluice.Sluice;
import io.sluice.TaskGraph;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** A command about one task's graph: the task and its parameters, as for {@code run}. */
abstract class TaskCommand {

  final Cli cli;

  @Mixin
  CommonOptions common;

  @Parameters(index = "0", paramLabel = "TASK", description = "Task name, simple or fully qualified.")
  String task;

  @Parameters(index = "1..*", paramLabel = "PARAMS",
      description = "Task parameters: --name value for TASK, --Task-name value for another task.")
  List<String> parameters = new ArrayList<>();

  TaskCommand(Cli cli) {
    this.cli = cli;
  }

  @picocli.CommandLine.Option(names = "--state-dir", paramLabel = "DIR",
      description = "Where runs keep their state, fingerprints included (default: [core] state_dir in sluice.toml,"
          + " else .sluice in the working directory).")
  java.nio.file.Path stateDir;

  /** The whole graph of the task, complete subtrees expanded. */
  TaskGraph graph() throws InterruptedException {
    return graph(true);
  }

  /**
   * The graph of the task as a run would judge it, with the project's settings and state (the
   * fingerprints of what was built).
   *
   * @param expandComplete also expand what complete tasks require, to show the whole tree
   */
  TaskGraph graph(boolean expandComplete) throws InterruptedException {
    Session session = Session.open(common, cli.pipelines());
    Session.Root root = session.rootTask(task, parameters);
    Sluice.Builder builder = Sluice.builder().parameterValues(root.values()).settings(session.config.settings());
    java.nio.file.Path state = stateDir != null ? stateDir : session.config.pathSetting("core", "state_dir");
    if (state != null) {
      builder.stateDir(state);
    }
    try {
      return builder.build().graph(List.of(root.task()), expandComplete);
    } catch (SchedulingException e) {
      throw new CliException(e.getMessage());
    }
  }
}
