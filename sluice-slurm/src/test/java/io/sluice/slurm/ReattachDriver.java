package io.sluice.slurm;

import io.sluice.RunResult;
import io.sluice.Settings;
import io.sluice.Sluice;
import io.sluice.internal.Signals;
import io.sluice.remote.RemoteRun;
import io.sluice.remote.internal.RemoteSession;
import java.util.List;
import java.util.Map;

/**
 * A driver process for {@link SlurmReattachTest}: runs one remote run on the Slurm backend from
 * the working directory (a git repository) and exits with the run's exit code. Its job appends a
 * line to a counter file when it starts, so the test counts submissions.
 *
 * <p>Arguments: the shared run directory, the counter file, how long the job sleeps (seconds).
 */
public final class ReattachDriver {

  private ReattachDriver() {}

  /** The remote run both drivers run: the same task, so the second one finds the first's job. */
  static RemoteRun remoteRun(String counter, String seconds) {
    return RemoteRun.of(List.of("sh", "-c", "echo started >> '" + counter + "'; sleep " + seconds
        + "; mkdir -p out && echo \"result of job $SLURM_JOB_ID\" > out/result.txt")).tier("Small")
        .output("out/result.txt");
  }

  public static void main(String[] args) throws Exception {
    Settings settings = new Settings(Map.of(
        "remote", Map.of("backend", "slurm", "poll_interval", "200ms"),
        "slurm", Map.of("shared_dir", args[0], "query_interval", "200ms"),
        "tiers", Map.of("Small", Map.of("cpus", 1, "time_limit", "10m", "slurm", Map.of("partition", "small")))));
    Sluice sluice = Sluice.builder().settings(RemoteSession.pinStartCommit(settings)).build();
    RunResult result;
    try (AutoCloseable signals = Signals.onInterrupt(sluice::cancel)) {
      result = sluice.run(remoteRun(args[1], args[2]));
    }
    System.out.println(result.summary());
    System.exit(result.exitCode().code());
  }
}
