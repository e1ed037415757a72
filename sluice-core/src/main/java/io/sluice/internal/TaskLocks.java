package io.sluice.internal;

import io.sluice.TaskId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;

/**
 * Keeps two processes on one project from running the same task at once: one byte of a shared
 * lock file per task (at an offset hashed from its id), locked with the operating system's
 * record locks, which the kernel releases when a process dies. Threads of one process take a
 * lock of their own first, since the JVM forbids overlapping file locks within one process.
 * They are semaphores, not locks owned by a thread: the engine releases the lock of a task it
 * abandoned (past its timeout) from another thread than the one that took it.
 * Those in-process locks belong to this instance (one lock file, one run) and an entry lives
 * only while a thread holds or waits for it, so the table stays as small as the run's activity.
 *
 * <p>A run alone on the project holds its tasks by intent instead of with the kernel's lock (see
 * {@link OtherProcesses}), and a run that takes the kernel's lock treats a task another run holds
 * by intent as held.
 */
public final class TaskLocks implements AutoCloseable {

  private static final long MAX_WAIT_STEP_MS = 200;

  private final FileChannel channel;
  private final OtherProcesses others;
  private final boolean ownsOthers;
  private final ConcurrentHashMap<Long, Slot> inProcess = new ConcurrentHashMap<>();

  /** An in-process lock and how many threads hold or wait for it; changed only inside compute. */
  private static final class Slot {
    final Semaphore lock = new Semaphore(1);
    int users;
  }

  /** Opens (creating) the lock file, for a run that takes every lock from the kernel. */
  public TaskLocks(Path lockFile) throws IOException {
    this(lockFile, OtherProcesses.unknown());
  }

  /** Opens (creating) the lock file, for a run that joined the project's runs as {@code others}. */
  TaskLocks(Path lockFile, OtherProcesses others) throws IOException {
    this(lockFile, others, false);
  }

  /**
   * Opens the lock file of the project whose state is in {@code stateDir} as a run of it would:
   * joining its runs (left when this closes), so that it sees the tasks they hold and they see it.
   */
  public static TaskLocks joined(Path stateDir) throws IOException {
    return new TaskLocks(stateDir.resolve("locks"), OtherProcesses.join(stateDir.resolve("runs")), true);
  }

  private TaskLocks(Path lockFile, OtherProcesses others, boolean ownsOthers) throws IOException {
    this.others = others;
    this.ownsOthers = ownsOthers;
    Files.createDirectories(lockFile.toAbsolutePath().getParent());
    this.channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
  }

  /** A held lock; close it to release. */
  public interface Held extends AutoCloseable {
    /** Whether the lock had to wait for another holder. */
    boolean waited();

    @Override
    void close();
  }

  /**
   * Locks the task, waiting at most {@code timeout} for another holder.
   *
   * @return the held lock, or null when another holder kept it past the timeout
   */
  public Held acquire(TaskId id, Duration timeout) throws IOException, InterruptedException {
    long offset = offset(id);
    long deadline = System.nanoTime() + timeout.toNanos();
    Semaphore local = enter(offset);
    boolean waited = false;
    try {
      if (!local.tryAcquire()) {
        waited = true;
        if (!local.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          leave(offset);
          return null;
        }
      }
    } catch (InterruptedException | RuntimeException e) {
      leave(offset);
      throw e;
    }
    try {
      int intent = others.intend(offset);
      if (intent >= 0) {
        return intended(intent, offset, local, waited);
      }
      long step = 5;
      while (true) {
        FileLock fileLock;
        try {
          fileLock = channel.tryLock(offset, 1, false);
        } catch (OverlappingFileLockException e) {
          fileLock = null;
        }
        if (fileLock != null && others.intendedByAnother(offset)) {
          fileLock.release();
          fileLock = null;
        }
        if (fileLock != null) {
          return held(fileLock, offset, local, waited);
        }
        waited = true;
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          unlock(offset, local);
          return null;
        }
        Thread.sleep(Math.min(step, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        step = Math.min(step * 2, MAX_WAIT_STEP_MS);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      unlock(offset, local);
      throw e;
    }
  }

  private Semaphore enter(long offset) {
    return inProcess.compute(offset, (key, slot) -> {
      Slot entered = slot == null ? new Slot() : slot;
      entered.users++;
      return entered;
    }).lock;
  }

  private void leave(long offset) {
    inProcess.computeIfPresent(offset, (key, slot) -> --slot.users == 0 ? null : slot);
  }

  private void unlock(long offset, Semaphore local) {
    local.release();
    leave(offset);
  }

  /** How many in-process locks are held or awaited now; for tests. */
  int inProcessEntries() {
    return inProcess.size();
  }

  /** A task held with the kernel's lock. */
  private Held held(FileLock fileLock, long offset, Semaphore local, boolean waited) {
    return held(() -> {
      try {
        fileLock.release();
      } catch (IOException ignored) {
        // the channel is gone; the kernel has released the lock with it
      }
    }, offset, local, waited);
  }

  /** A task held by intent, without the kernel's lock. */
  private Held intended(int intent, long offset, Semaphore local, boolean waited) {
    return held(() -> others.withdraw(intent), offset, local, waited);
  }

  /** A held task whose {@code giveUp} and in-process lock are let go once, however often it is closed. */
  private Held held(Runnable giveUp, long offset, Semaphore local, boolean waited) {
    java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
    return new Held() {
      @Override
      public boolean waited() {
        return waited;
      }

      @Override
      public void close() {
        if (open.compareAndSet(true, false)) {
          try {
            giveUp.run();
          } finally {
            unlock(offset, local);
          }
        }
      }
    };
  }

  /**
   * The byte of the lock file that stands for the task: a 64-bit hash of its id (FNV-1a over the
   * id's characters, then MurmurHash3's finalizer to spread the bits). Every process working on
   * the project must compute the same offset for the same task. Not a cryptographic digest: the
   * ids are the project's own, and a SHA-256 cost several microseconds per task where only C1
   * compiles the code (as in {@code sluice run}); two ids sharing a byte (odds of about 1 in 20
   * million among a million tasks) would only make those two tasks wait for each other.
   */
  static long offset(TaskId id) {
    String text = id.toString();
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
    }
    hash = (hash ^ (hash >>> 33)) * 0xff51afd7ed558ccdL;
    hash = (hash ^ (hash >>> 33)) * 0xc4ceb9fe1a85ec53L;
    hash ^= hash >>> 33;
    // Keep clear of the top of the range: offset + 1 must not overflow.
    return (hash & Long.MAX_VALUE) % (Long.MAX_VALUE - 1);
  }

  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      if (ownsOthers) {
        others.close();
      }
    }
  }
}
