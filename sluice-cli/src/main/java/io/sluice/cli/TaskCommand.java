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

  /** The whole graph of the task, complete subtrees expanded. */
  TaskGraph graph() throws InterruptedException {
    Session session = Session.open(common, cli.pipelines());
    Session.Root root = session.rootTask(task, parameters);
    try {
      return Sluice.builder().parameterValues(root.values()).build().graph(List.of(root.task()), true);
    } catch (SchedulingException e) {
      throw new CliException(e.getMessage());
    }
  }
}
