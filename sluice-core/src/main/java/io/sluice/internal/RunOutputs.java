package io.sluice.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * What one run keeps about the outputs its attempts write: the directories already cleared of
 * dead processes' temporary files, and the registrations of aborted attempts, held until the run
 * ends so that a thread a failed task left running has its late writes refused instead of landing
 * as standalone files.
 */
final class RunOutputs implements AutoCloseable {

  private final Leftovers leftovers = Leftovers.forRun();
  private final List<RunningOutputs.Registration> held = new ArrayList<>();

  Leftovers leftovers() {
    return leftovers;
  }

  /** Ends an attempt's registration: now if it committed, at the end of the run if it was aborted. */
  void release(RunningOutputs.Registration registration, OutputTransaction transaction) {
    if (transaction.isAborted()) {
      synchronized (held) {
        held.add(registration);
      }
    } else {
      registration.close();
    }
  }

  /** Releases every held registration: the run has ended. */
  @Override
  public void close() {
    synchronized (held) {
      held.forEach(RunningOutputs.Registration::close);
      held.clear();
    }
  }
}
