package io.sluice.cli;

import io.sluice.history.HistoryDatabase;
import io.sluice.history.TaskRecord;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice history TASK}: the past runs of a task, and how long it usually takes. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "Lists the times a task ran, newest first (its duration, outcome, attempts), and how long it"
        + " usually takes.")
final class TaskHistoryCommand extends HistoryCommand {

  @Parameters(index = "0", paramLabel = "TASK", description = "A task family (TrainForest: every parameter), or one"
      + " task as 'sluice show' writes it (FitModel(alpha=0.5)).")
  String task;

  @Option(names = {"-n", "--last"}, paramLabel = "N", description = "How many runs (default 20).")
  int last = 20;

  TaskHistoryCommand(Cli cli) {
    // the Cli is not needed: the history holds what is shown
  }

  @Override
  int call(HistoryDatabase history, PrintStream out) throws SQLException {
    if (last < 1) {
      throw new CliException("--last is " + last + "; it must be 1 or more");
    }
    List<TaskRecord> runs = history.taskHistory(task, last);
    List<Duration> done = runs.stream().filter(run -> run.status().equals("DONE") && run.duration() != null)
        .map(TaskRecord::duration).sorted().toList();
    if (json) {
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("task", task);
      value.put("medianMs", done.isEmpty() ? null : median(done).toMillis());
      value.put("runs", runs.stream().map(HistoryText::json).toList());
      printJson(out, value);
      return 0;
    }
    if (runs.isEmpty()) {
      out.println("No recorded run of " + task + " in " + history.where() + ".");
      return 0;
    }
    out.print(HistoryText.table(List.of("RUN", "TASK", "STARTED", "DURATION", "STATUS", "ATTEMPTS"),
        runs.stream().map(run -> List.of(run.runId(), run.name(), HistoryText.time(run.startedAt()),
            HistoryText.duration(run.duration()), run.status(), String.valueOf(run.attempts()))).toList()));
    out.println();
    out.println(done.isEmpty() ? "No successful run among these."
        : done.size() + " successful of " + runs.size() + ": median " + HistoryText.duration(median(done)) + ", fastest "
            + HistoryText.duration(done.get(0)) + ", slowest " + HistoryText.duration(done.get(done.size() - 1)) + ".");
    return 0;
  }

  private static Duration median(List<Duration> sorted) {
    return sorted.get(sorted.size() / 2);
  }
}
