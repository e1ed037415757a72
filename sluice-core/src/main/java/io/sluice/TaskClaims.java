package io.sluice;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Once-only beyond one machine: before a task runs, the engine claims it here (after its local
 * file lock), has the claim confirmed just before the task's outputs are renamed into place, and
 * releases it when the task ends. The default claims nothing; a shared database's leases are one
 * implementation (module {@code sluice-history}).
 */
public interface TaskClaims {

  /**
   * Claims {@code task}, waiting at most {@code timeout} for another owner to release it or lose
   * it.
   *
   * @return the claim, or null when another owner kept the task past the timeout
   * @throws IOException when the claim could not be decided (the task fails, saying why)
   */
  Claim claim(TaskId task, Duration timeout) throws IOException, InterruptedException;

  /**
   * Claims {@code task} as {@link #claim(TaskId, Duration)} does; the engine calls this one, with
   * {@code readyNext} giving (at most the number asked) the tasks this run is ready to start next,
   * which an implementation may claim ahead in the same round trip. A claim taken ahead is given
   * back, never hoarded: when it is not used by the end of the run ({@link #runEnded()}), or when
   * this process must wait for another's claim. By default nothing is claimed ahead.
   */
  default Claim claim(TaskId task, Duration timeout, IntFunction<List<TaskId>> readyNext)
      throws IOException, InterruptedException {
    return claim(task, timeout);
  }

  /** The run is over: claims taken ahead and not used are given back. */
  default void runEnded() {}

  /** A claimed task. */
  interface Claim {
    /** Whether the claim had to wait for another owner. */
    boolean waited();

    /**
     * Fails unless this process still owns the task, so that an owner whose claim was taken over
     * (it was paused or cut off past the claim's expiry) never commits over the new owner's outputs.
     *
     * @throws IOException saying who owns the task now, or why ownership could not be confirmed
     */
    void checkStillOwned() throws IOException, InterruptedException;

    /** Gives the task up; called once, whatever the outcome. */
    void release();
  }

  /** Claims nothing: the local file locks alone keep tasks once-only (one machine). */
  static TaskClaims none() {
    return NoClaims.INSTANCE;
  }
}
