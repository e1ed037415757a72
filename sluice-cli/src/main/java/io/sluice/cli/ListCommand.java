package io.sluice.cli;

import io.sluice.Task;
import io.sluice.TaskInfo;
import io.sluice.Tasks;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice list}: the tasks found, with their parameters and descriptions. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "Lists the tasks found, with their parameters, defaults and descriptions.")
final class ListCommand implements Callable<Integer> {

  private final Cli cli;

  @Mixin
  CommonOptions common;

  // For shell completion (CompletionCommand): plain words, one a line, nothing else.
  @Option(names = "--names", hidden = true, description = "Task names only, one a line.")
  boolean names;

  @Option(names = "--params", hidden = true, paramLabel = "TASK", description = "The --parameters of TASK, one a line.")
  String paramsOf;

  ListCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    Session session = Session.open(common, cli.pipelines());
    PrintStream out = System.out;
    if (names) {
      session.catalog.families().forEach(out::println);
      return 0;
    }
    if (paramsOf != null) {
      Tasks.describe(session.catalog.find(paramsOf, session.loader)).params().forEach(p -> out.println("--" + p.name()));
      return 0;
    }
    if (session.catalog.all().isEmpty()) {
      out.println("No tasks found. Add your classes with --classpath, or name their packages with --module.");
      return 0;
    }
    for (Class<? extends Task> type : session.catalog.all()) {
      TaskInfo info = Tasks.describe(type);
      out.println(info.family() + (info.description().isEmpty() ? "" : "  " + info.description()));
      out.println("    " + type.getName());
      for (TaskInfo.ParamInfo param : info.params()) {
        out.println("    --" + param.name() + " " + param.typeName()
            + (param.defaultValue() == null ? " (required)" : " (default: " + param.defaultValue() + ")")
            + (param.significant() ? "" : " (insignificant)")
            + (param.description().isEmpty() ? "" : "  " + param.description()));
      }
    }
    return 0;
  }
}
