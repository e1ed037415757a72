package io.sluice.server;

import io.sluice.RunResult;
import io.sluice.Sluice;
import io.sluice.Task;
import io.sluice.history.HistoryConfig;
import io.sluice.history.HistoryRecorder;
import io.sluice.history.RunInfo;
import io.sluice.history.StartedBy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Fills a history the way {@code sluice run} does: the real engine, recorded by the real recorder. */
final class RecordedRuns {

  /** Room for every event of the 100k-task run: the engine outruns a SQLite writer on a busy machine. */
  private static final int CAPACITY = 500_000;

  private RecordedRuns() {}

  /** Runs {@code root} with its state (logs) under {@code stateDir}, recorded as run {@code runId} from {@code host}. */
  static RunResult record(HistoryConfig history, Path stateDir, String runId, String host, Instant start, Task root) {
    return record(history, stateDir, runId, host, start, java.util.Map.of(), root);
  }

  /** As above, with {@code [resources]} totals {@code limits} for the engine and the recorder. */
  static RunResult record(HistoryConfig history, Path stateDir, String runId, String host, Instant start,
      java.util.Map<String, Integer> limits, Task root) {
    RunInfo run = new RunInfo(runId, root.getClass().getSimpleName(), "sluice run " + root.getClass().getSimpleName(),
        "alice", host, 4242, stateDir.toString(), "0123abcd", StartedBy.TERMINAL, start);
    try (HistoryRecorder recorder = HistoryRecorder.builder(history, run).logDir(stateDir.resolve("logs"))
        .capacity(CAPACITY).flushTimeout(Duration.ofMinutes(2)).resourceLimits(limits)
        .warnings(warning -> {
          throw new AssertionError(warning);
        }).start()) {
      RunResult result = Sluice.builder().workers(2).resourceLimits(limits).stateDir(stateDir).listener(recorder).build().run(root);
      recorder.exitCode(result.exitCode().code());
      return result;
    }
  }
}
