package io.sluice.slurm;

import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A job as one line of {@code squeue -h -t all -o "%i|%T|%r"} shows it, and what that means for
 * the run together with the run's files.
 *
 * @param id the job id
 * @param state Slurm's job state, such as {@code RUNNING} or {@code OUT_OF_MEMORY}
 * @param reason why it is in that state ({@code None}, {@code Priority}, {@code NonZeroExitCode}, ...)
 */
record SlurmJob(String id, String state, String reason) {

  /** The squeue output format this class reads. */
  static final String SQUEUE_FORMAT = "%i|%T|%r";

  /**
   * Reasons a job stays pending forever: it exceeds a limit of its partition, which a cluster
   * without {@code EnforcePartLimits} accepts at submission.
   */
  private static final Set<String> NEVER_STARTS = Set.of("PartitionTimeLimit", "PartitionNodeLimit",
      "MaxMemPerLimit", "PartitionConfig");

  /** The jobs of squeue's output, by id; lines that are not jobs are left out. */
  static Map<String, SlurmJob> parse(String squeueOutput) {
    Map<String, SlurmJob> jobs = new LinkedHashMap<>();
    for (String line : squeueOutput.split("\n")) {
      String[] fields = line.strip().split("\\|", 3);
      if (fields.length == 3 && !fields[0].isEmpty()) {
        jobs.put(fields[0], new SlurmJob(fields[0], fields[1], fields[2]));
      }
    }
    return jobs;
  }

  /** Whether the job waits for something that will not come: it should be cancelled, its run failed. */
  boolean neverStarts() {
    return state.equals("PENDING") && NEVER_STARTS.contains(reason);
  }

  /** Whether Slurm is done with the job: the state cannot change any more. */
  boolean finished() {
    return switch (state) {
      case "COMPLETED", "FAILED", "TIMEOUT", "OUT_OF_MEMORY", "CANCELLED", "NODE_FAIL", "BOOT_FAIL", "PREEMPTED",
          "DEADLINE", "SPECIAL_EXIT", "REVOKED" -> true;
      default -> false;
    };
  }

  /**
   * The run's state.
   *
   * @param exitCode what the run's {@code exit_code} file holds, or null when it has none
   * @param slurmOutput the end of the job's own output (Slurm's messages about it), maybe empty
   * @param spec what was submitted, for the limits a failure names
   */
  RunState runState(Integer exitCode, String slurmOutput, RunSpec spec) {
    if (neverStarts()) {
      return failed(null, "it asks for more than its partition allows and would wait forever; give tier "
          + spec.tier().name() + " less, or another [tiers." + spec.tier().name() + ".slurm] partition", "");
    }
    return switch (state) {
      case "PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD" ->
          new RunState(RunStatus.QUEUED, null, describe());
      case "RUNNING", "COMPLETING" -> RunState.of(RunStatus.RUNNING);
      case "COMPLETED" -> exitCode != null && exitCode == 0 ? new RunState(RunStatus.SUCCEEDED, 0, "")
          : failed(exitCode, exitCode == null ? "the run wrote no exit code" : "", slurmOutput);
      case "TIMEOUT" -> failed(exitCode, "the time limit of " + limit(spec) + " was reached", slurmOutput);
      case "OUT_OF_MEMORY" -> failed(exitCode, memory(spec), slurmOutput);
      case "FAILED" -> failed(exitCode, slurmOutput.contains("Exceeded job memory limit") ? memory(spec) : "",
          slurmOutput);
      case "CANCELLED" -> new RunState(RunStatus.CANCELLED, exitCode, describe());
      case "NODE_FAIL", "BOOT_FAIL", "PREEMPTED", "DEADLINE", "SPECIAL_EXIT", "REVOKED" ->
          failed(exitCode, "", slurmOutput);
      // SUSPENDED, STOPPED, RESIZING, SIGNALING, STAGE_OUT, or a state of a later Slurm: not over yet.
      default -> new RunState(RunStatus.RUNNING, null, describe());
    };
  }

  /** "Slurm job 12 FAILED (NonZeroExitCode)": the words of a reason, in Slurm's terms. */
  String describe() {
    boolean noReason = reason.isBlank() || reason.equals("None") || reason.equals("(null)");
    return "Slurm job " + id + " " + state + (noReason ? "" : " (" + reason + ")");
  }

  private RunState failed(Integer exitCode, String meaning, String slurmOutput) {
    StringBuilder text = new StringBuilder(describe());
    if (!meaning.isEmpty()) {
      text.append(": ").append(meaning);
    }
    // Without an exit code the command did not end by itself: Slurm's own words say why.
    if (exitCode == null && !slurmOutput.isBlank()) {
      text.append("; Slurm said: ").append(slurmOutput.strip().replace("\n", " / "));
    }
    return new RunState(RunStatus.FAILED, exitCode, text.toString());
  }

  private static String limit(RunSpec spec) {
    Duration limit = spec.timeout() != null ? spec.timeout() : spec.tier().timeLimit();
    return limit == null ? "the partition" : SbatchOptions.time(limit) + " (Slurm rounds limits up to whole minutes)";
  }

  private static String memory(RunSpec spec) {
    long mb = spec.tier().memoryMb();
    return "the run used more memory than its tier " + spec.tier().name() + " allows"
        + (mb > 0 ? " (" + mb + " MiB)" : "");
  }
}
