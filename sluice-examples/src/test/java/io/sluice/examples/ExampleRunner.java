package io.sluice.examples;

import io.sluice.RunResult;
import io.sluice.Sluice;
import io.sluice.Task;
import io.sluice.Tasks;

/**
 * Runs one example task by its simple name in this process, prints the execution summary and
 * exits with the run's exit code; tests start it as a child process, as the CLI will be.
 */
public final class ExampleRunner {

  private ExampleRunner() {}

  public static void main(String[] args) throws ClassNotFoundException {
    if (args.length != 1) {
      System.err.println("usage: ExampleRunner <TaskName>");
      System.exit(2);
    }
    Class<? extends Task> type = Class.forName(ExampleRunner.class.getPackageName() + "." + args[0])
        .asSubclass(Task.class);
    RunResult result = Sluice.builder().workers(2).build().run(Tasks.create(type));
    System.out.print(result.summary());
    System.exit(result.exitCode().code());
  }
}
