package io.sluice;

import java.util.Objects;

/**
 * Where a remote run stands, as its task tells it in a note: which backend runs it under which id,
 * on which tier and commit. Listeners (the history, a progress line) read these fields instead of
 * parsing the note's text.
 *
 * @param backend the backend's name, such as {@code slurm}
 * @param runId the backend's id of the run
 * @param tier the hardware tier's name
 * @param commit the commit of the snapshot it runs
 * @param phase what just happened to it
 */
public record RemoteRunDetails(String backend, String runId, String tier, String commit, Phase phase) {

  public RemoteRunDetails {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(phase, "phase");
  }

  /** What happened to the remote run when its task noted it. */
  public enum Phase {
    /** Submitted to the backend. */
    SUBMITTED,
    /** An earlier process's submission was found still going and adopted instead of submitting again. */
    REATTACHED,
    /** Waiting for a machine. */
    QUEUED,
    /** Running on a machine. */
    RUNNING,
    /** Ended well and its output is fetched. */
    SUCCEEDED,
    /** Ended badly. */
    FAILED,
    /** Cancelled, by this run or on the backend. */
    CANCELLED;

    /** Whether the remote run is over. */
    public boolean over() {
      return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
  }

  /** The same run at another phase. */
  public RemoteRunDetails at(Phase next) {
    return new RemoteRunDetails(backend, runId, tier, commit, next);
  }
}
