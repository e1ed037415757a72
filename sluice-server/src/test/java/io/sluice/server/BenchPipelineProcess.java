package io.sluice.server;

import io.sluice.history.HistoryConfig;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What {@code sluice run} does in the load bench, in a process of its own: runs {@code TASKS}
 * tasks that each write a file, with 2 workers, recorded into the SQLite history under
 * {@code HISTORY_DIR}, then prints {@code wall=MS cpu=MS} (the pipeline's time from the engine's
 * start to the history's last write, and the process's CPU). Arguments:
 * {@code HISTORY_DIR WORK_DIR RUN_ID TASKS}.
 */
public final class BenchPipelineProcess {

  private BenchPipelineProcess() {}

  public static void main(String[] args) {
    HistoryConfig history = HistoryConfig.sqlite(Path.of(args[0]));
    Path work = Path.of(args[1]);
    String runId = args[2];
    int tasks = Integer.parseInt(args[3]);
    long start = System.nanoTime();
    RecordedRuns.record(history, work.resolve("state"), runId, "bench-host", Instant.now(),
        new TestTasks.Scores(work.resolve("out").toString(), tasks));
    long wall = (System.nanoTime() - start) / 1_000_000;
    long cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    System.out.println("wall=" + wall + " cpu=" + cpu);
  }
}
