package io.sluice.server;

import io.sluice.history.HistoryConfig;
import io.sluice.history.HistoryRecorder;
import io.sluice.history.RunIds;
import io.sluice.history.RunInfo;
import io.sluice.history.StartedBy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A process that does what {@code sluice run TASK ARGS...} does with the history (this module cannot
 * start the real command, which depends on it): records a run with the id and the starter its
 * environment gives, and ends it with exit code 0, or 1 for the task {@code Broken}. Arguments:
 * {@code STATE_DIR run TASK ARGS...}.
 */
public final class ScheduledRunStandIn {

  private ScheduledRunStandIn() {}

  public static void main(String[] args) {
    Path stateDir = Path.of(args[0]);
    String task = args[2];
    List<String> rest = Arrays.asList(args).subList(3, args.length);
    String id = System.getenv(RunIds.VARIABLE);
    RunInfo run = new RunInfo(id, task, "sluice run " + task + " " + String.join(" ", rest), "alice", "test-host",
        ProcessHandle.current().pid(), Path.of("").toAbsolutePath().toString(), null,
        StartedBy.detect(System.getenv(), false), Instant.now());
    try (HistoryRecorder recorder = HistoryRecorder.builder(HistoryConfig.sqlite(stateDir), run).start()) {
      System.out.println("ran " + task + " " + String.join(" ", rest));
      recorder.exitCode(task.equals("Broken") ? 1 : 0);
    }
  }
}
