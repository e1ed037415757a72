package io.sluice.internal;

import io.sluice.TaskStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Work a worker with nothing to run does for the one that runs a chain: it releases the locks of
 * tasks that finished, and takes ahead the lock of the task likely to start next (the one
 * dependent that waits only for a running task), so that the running worker goes from one link
 * to the next without those system calls. Nothing is weakened: a lock is only ever taken
 * without waiting, and held longer than before, never shorter; a task whose lock was taken ahead
 * runs under it exactly as under one taken when it started, and one that ends without running
 * (upstream failed, cancelled) has it released.
 *
 * <p>All methods but {@link Work#perform} are called under the engine's lock.
 */
final class Ahead {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Ahead.class);

  /** How far down a chain locks are taken ahead; a worker is woken for it every half of it. */
  static final int DEPTH = 32;

  private final boolean enabled;
  /** Finished tasks' attempts whose locks are still to be released. */
  private final ArrayDeque<Attempts> toRelease = new ArrayDeque<>(DEPTH);
  /** What was prepared ahead, by the task it is for. */
  private final Map<Node, Prepared> taken = new HashMap<>(2 * DEPTH);
  /** What was prepared for tasks that started or ended meanwhile: to give up. */
  private final List<Prepared> unused = new ArrayList<>(2);
  /** The tasks whose locks to take next, and those a worker is taking now. */
  private final ArrayDeque<Node> expected = new ArrayDeque<>(DEPTH);
  private final List<Node> taking = new ArrayList<>(DEPTH);
  // Set when the run ends: what a worker still makes ahead after that is given up at once.
  private boolean drained;
  /** How many workers wait for something to do; written under the engine's lock. */
  private volatile int idle;
  /** How many workers wait for a lock that another holder has; written under the engine's lock. */
  private volatile int waitingForLocks;

  /**
   * @param takeLocksAhead whether locks may be taken ahead: not when each task also needs a claim
   *     across machines, or when nothing runs in parallel anyway
   */
  Ahead(boolean takeLocksAhead) {
    this.enabled = takeLocksAhead;
  }

  /** A worker starts waiting for something to do, or stops. */
  void idle(int delta) {
    idle += delta;
  }

  /** Whether a worker waits for something to do: then it may take over work of the others. */
  boolean someoneIdle() {
    return idle > 0;
  }

  /**
   * As {@link #someoneIdle()}, without the engine's lock: a hint, which may be stale. False while
   * a worker waits for another holder's lock: a finished task's lock is then released at once.
   */
  boolean someoneIdleNow() {
    return idle > 0 && waitingForLocks == 0;
  }

  /**
   * A worker is about to wait for a task's lock that another holder has (another run, most
   * likely taking locks ahead too). While it waits, this run must hold no lock of a task that is
   * not running, or the two runs could each wait for a lock the other holds: every lock taken
   * ahead and every finished task's lock not yet released is given up (the returned actions, to
   * run outside the engine's lock), and none is taken ahead until {@link #waitEnded()}.
   */
  List<Runnable> waitStarts() {
    waitingForLocks++;
    expected.clear();
    return drain();
  }

  /** The wait {@link #waitStarts()} announced is over. */
  void waitEnded() {
    waitingForLocks--;
  }

  /** What was prepared for {@code node}, now starting, or null. */
  Prepared takenFor(Node node) {
    return taken.isEmpty() ? null : taken.remove(node);
  }

  /**
   * {@code started} runs now: the dependent waiting only for it is likely to start next, then
   * the one waiting only for that one, and so on down a chain.
   *
   * @return whether an idle worker should be woken for the work there is: for a chain, once in
   *     {@code DEPTH / 2} links
   */
  boolean started(Node started) {
    boolean low = taken.size() + taking.size() <= DEPTH / 2;
    // Looked for only when running low: along a chain, once in DEPTH / 2 links.
    if (enabled && waitingForLocks == 0 && low && expected.isEmpty()) {
      Node link = started;
      for (int i = 0; i < DEPTH && link != null; i++) {
        Node next = null;
        for (int d = 0, count = link.dependentCount(); d < count; d++) {
          Node dependent = link.dependent(d);
          if (dependent.scheduled && dependent.status == TaskStatus.PENDING && dependent.pendingDeps == 1) {
            next = dependent;
            break;
          }
        }
        if (next != null && !taken.containsKey(next) && !taking.contains(next)) {
          expected.add(next);
        }
        link = next;
      }
    }
    return toRelease.size() >= DEPTH / 2 || !unused.isEmpty() || (low && !expected.isEmpty());
  }

  /** The lock of a finished task, for an idle worker to release. */
  void release(Attempts attempts) {
    toRelease.add(attempts);
  }

  /** What an idle worker is to do now, or null. */
  Work next() {
    if (!taken.isEmpty()) {
      // A task whose lock was taken ahead ended without running (its requirement failed, the run
      // was cancelled): nobody will start it now.
      taken.entrySet().removeIf(entry -> {
        if (entry.getKey().finalized()) {
          unused.add(entry.getValue());
          return true;
        }
        return false;
      });
    }
    List<Node> take = new ArrayList<>(expected.size());
    for (Node node : expected) {
      if (node.status == TaskStatus.PENDING && !taken.containsKey(node) && !taking.contains(node)) {
        take.add(node);
      }
    }
    expected.clear();
    if (take.isEmpty() && toRelease.isEmpty() && unused.isEmpty()) {
      return null;
    }
    taking.addAll(take);
    Work work = new Work(new ArrayList<>(toRelease), new ArrayList<>(unused), take);
    toRelease.clear();
    unused.clear();
    return work;
  }

  /**
   * Whether a worker is taking {@code node}'s lock now: the worker that starts it waits for that
   * (a few system calls) rather than meet the lock held by its own process.
   */
  boolean taking(Node node) {
    return !taking.isEmpty() && taking.contains(node);
  }

  /**
   * Records the locks a worker took ahead, but for tasks that ended meanwhile; a task that started
   * meanwhile has waited for them (see {@link #taking(Node)}).
   */
  void done(Work work) {
    for (int i = 0; i < work.take.size(); i++) {
      Node node = work.take.get(i);
      taking.remove(node);
      Prepared prepared = work.prepared[i];
      if (prepared == null) {
        continue;
      }
      if (drained) {
        prepared.discard();  // the run ended without waiting for this worker: nobody else will
        continue;
      }
      if (waitingForLocks == 0 && (node.status == TaskStatus.PENDING || node.status == TaskStatus.RUNNING)) {
        taken.put(node, prepared);
      } else {
        unused.add(prepared);
      }
    }
  }

  /**
   * Whether a worker is taking locks and making temporary files ahead now: the run's end waits
   * for it (a few system calls, no task code), or what it made would be left behind.
   */
  boolean performing() {
    return !taking.isEmpty();
  }

  /** Every lock still held here, to release when the run ends, outside the engine's lock. */
  List<Runnable> drain() {
    drained = true;
    List<Runnable> releases = new ArrayList<>();
    toRelease.forEach(attempts -> releases.add(attempts::releaseLock));
    unused.forEach(prepared -> releases.add(prepared::discard));
    taken.values().forEach(prepared -> releases.add(prepared::discard));
    toRelease.clear();
    unused.clear();
    taken.clear();
    return releases;
  }

  /**
   * A task's lock taken ahead, and empty temporary files for those of its outputs whose
   * directories exist (see {@link OutputTransaction#offer}): creating a file is the costliest
   * system call of a cold task's write after the rename.
   */
  static final class Prepared {
    private final TaskLocks.Held held;
    private final Map<java.nio.file.Path, TempFiles.Created> temps;

    private Prepared(TaskLocks.Held held, Map<java.nio.file.Path, TempFiles.Created> temps) {
      this.held = held;
      this.temps = temps;
    }

    TaskLocks.Held held() {
      return held;
    }

    /** The temporary files made for the task's outputs, by output (absolute, normalized). */
    Map<java.nio.file.Path, TempFiles.Created> temps() {
      return temps;
    }

    /** Gives everything up: the files are deleted, the lock released. */
    void discard() {
      OutputTransaction.discardOffered(temps);
      held.close();
    }
  }

  /** One round of an idle worker's work. */
  static final class Work {
    private final List<Attempts> release;
    private final List<Prepared> discard;
    private final List<Node> take;
    private final Prepared[] prepared;

    private Work(List<Attempts> release, List<Prepared> discard, List<Node> take) {
      this.release = release;
      this.discard = discard;
      this.take = take;
      this.prepared = new Prepared[take.size()];
    }

    /**
     * Outside the engine's lock: releases the locks, and tries each expected task's once, without
     * waiting (a lock another holder has is left to the task's own start, which waits for it and
     * then checks whether that holder completed the task); for a lock it got, makes the task's
     * temporary files.
     */
    void perform(TaskLocks locks) {
      for (Attempts attempts : release) {
        try {
          attempts.releaseLock();
        } catch (RuntimeException e) {
          // as when the task's own worker releases it: the kernel lets go of it with the process
          LOG.warn("Releasing the lock of a finished task failed: {}", e.toString());
        }
      }
      for (Prepared given : discard) {
        given.discard();
      }
      for (int i = 0; i < take.size(); i++) {
        TaskLocks.Held held;
        try {
          held = locks.acquire(take.get(i).id, Duration.ZERO);
          if (held != null && held.waited()) {
            held.close();
            held = null;
          }
        } catch (java.io.IOException | RuntimeException e) {
          held = null;  // taken when the task starts instead, where a failure is the task's to report
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (held != null) {
          prepared[i] = new Prepared(held, OutputTransaction.prepare(take.get(i).task));
        }
      }
    }
  }
}
