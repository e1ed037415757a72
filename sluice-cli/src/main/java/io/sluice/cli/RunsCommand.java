package io.sluice.cli;

import io.sluice.history.HistoryDatabase;
import io.sluice.history.RunRecord;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice runs}: the last runs, newest first. */
@Command(name = "runs", mixinStandardHelpOptions = true,
    description = "Lists the last runs recorded in the history: id, task, start, duration, result, host.")
final class RunsCommand extends HistoryCommand {

  @Option(names = {"-n", "--last"}, paramLabel = "N", description = "How many runs (default 20).")
  int last = 20;

  RunsCommand(Cli cli) {
    // the Cli is not needed: the history holds what is shown
  }

  @Override
  int call(HistoryDatabase history, PrintStream out) throws SQLException {
    if (last < 1) {
      throw new CliException("--last is " + last + "; it must be 1 or more");
    }
    List<RunRecord> runs = history.runs(last);
    if (json) {
      printJson(out, runs.stream().map(HistoryText::json).toList());
      return 0;
    }
    if (runs.isEmpty()) {
      out.println("No runs recorded yet in " + history.where() + ".");
      return 0;
    }
    out.print(HistoryText.table(List.of("RUN", "TASK", "STARTED", "DURATION", "RESULT", "HOST"),
        runs.stream().map(run -> List.of(run.info().id(), run.info().rootTask(), HistoryText.time(run.info().startedAt()),
            HistoryText.duration(run.duration()), HistoryText.outcome(run), run.info().host())).toList()));
    return 0;
  }
}
