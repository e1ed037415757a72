package io.sluice.cli;

import io.sluice.history.HistoryDatabase;
import io.sluice.history.RunRecord;
import io.sluice.history.TaskRecord;
import io.sluice.internal.Printable;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice show RUN}: one run and its tasks. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Shows a recorded run: who started it where, its result, and each task with its status, time,"
        + " attempts and remote run.")
final class ShowCommand extends HistoryCommand {

  @Parameters(index = "0", paramLabel = "RUN", description = "A run id as 'sluice runs' lists it (its beginning will"
      + " do), or 'last'.")
  String runId;

  ShowCommand(Cli cli) {
    // the Cli is not needed: the history holds what is shown
  }

  @Override
  int noHistory(String where, PrintStream out) {
    throw new CliException("No run '" + runId + "': there is no history at " + where + " (no run was recorded there)");
  }

  @Override
  int call(HistoryDatabase history, PrintStream out) throws SQLException {
    RunRecord run;
    try {
      run = history.run(runId).orElseThrow(() -> new CliException("No run '" + runId + "' in the history at "
          + history.where() + "; 'sluice runs' lists the recorded ones"));
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    List<TaskRecord> tasks = history.tasks(run.info().id());
    if (json) {
      Map<String, Object> value = new LinkedHashMap<>(HistoryText.json(run));
      value.put("tasks", tasks.stream().map(HistoryText::json).toList());
      printJson(out, value);
      return 0;
    }
    out.println("Run " + run.info().id() + ": " + HistoryText.outcome(run));
    out.println("  command     " + Printable.line(run.info().commandLine()));
    out.println("  started     " + HistoryText.time(run.info().startedAt()) + " by " + run.info().startedBy().label()
        + ", " + run.info().user() + "@" + run.info().host() + " pid " + run.info().pid());
    out.println("  duration    " + HistoryText.duration(run.duration()));
    out.println("  directory   " + Printable.line(run.info().cwd()));
    out.println("  commit      " + (run.info().gitCommit() == null ? "-" : run.info().gitCommit()));
    out.println();
    List<List<String>> rows = new ArrayList<>();
    for (TaskRecord task : tasks) {
      // A lost run's running tasks will never end: say so rather than leave them running.
      String status = run.lost() && task.status().equals("RUNNING") ? "RUNNING (lost)" : task.status();
      rows.add(List.of(task.name(), status, HistoryText.duration(task.duration()),
          task.attempts() == 0 ? "-" : String.valueOf(task.attempts()), HistoryText.remote(task.remote())));
    }
    out.print(HistoryText.table(List.of("TASK", "STATUS", "DURATION", "ATTEMPTS", "REMOTE RUN"), rows));
    for (TaskRecord task : tasks) {
      if (task.error() != null && !task.status().equals("DONE")) {
        out.println();
        out.println(Printable.line(task.name()) + ": " + Printable.line(task.error().lines().findFirst().orElse("")));
        if (task.logFile() != null) {
          out.println("  log: " + Printable.line(task.logFile()));
        }
      }
    }
    return 0;
  }
}
