package io.sluice.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether any other run may have worked on the project since this one joined it, so that a task
 * this run found incomplete may have been completed by someone else meanwhile. A run joins before
 * it builds its graph; while it can be sure it is alone, the engine need not look at a task's
 * outputs again before running it, a file status per task.
 *
 * <p>It is sure when, on joining, no other run held a slot (one byte of the file, locked by each
 * run for its whole life and released by the kernel when a process dies), and no run has joined
 * since: every run adds one to a counter kept in the file, mapped into memory, so that asking
 * costs no system call. A run that took its slot before this one looked at the slots is seen
 * there; one that took it later has not counted itself yet when this one looked, and is seen by
 * the counter. Where any of this cannot be had (no free slot, a file system other processes may
 * share over a network) the answer is always "maybe", as before. An I/O error is another matter:
 * a run that could not count itself is not seen by a run alone, which holds its tasks without the
 * kernel's locks, so the engine refuses to run rather than risk running a task twice
 * ({@link #failure()}).
 *
 * <p>A run alone holds its tasks without the kernel's locks ({@link TaskLocks}): it writes the
 * lock byte of each task it holds into its slot's table of intents, in the same mapped file, and
 * then asks the counter whether it is still alone; if not, it takes the lock of the kernel after
 * all. A run that takes a task's lock of the kernel looks, once it has it, for the task in the
 * tables of the other runs that are alive, and treats it as held when it is there. Each side
 * writes first and reads the other's word second (the counter joining, the intent holding), so at
 * least one of the two sees the other: the joining run waits for the task, or the first run takes
 * the kernel's lock, for which the other then waits. A run alone saves two system calls and the
 * JVM's bookkeeping of file locks per task; a run that is not never writes an intent.
 */
final class OtherProcesses implements AutoCloseable, FingerprintJournal.Others {

  static final int SLOTS = 64;
  private static final long SLOT_BASE = 64;
  private static final VarHandle COUNTER = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  /** Where the slots' tables of intents start in the file: each a word saying whether it was used, then its entries. */
  private static final int INTENTS_BASE = 4096;
  /** How many tasks a run alone holds by intent at once; past that, with the kernel's locks. */
  static final int INTENTS = 63;
  // After the entries, a word saying whether the run keeps records it has not written yet (see keepRecords).
  private static final int KEPT_WORD = (INTENTS + 1) * Long.BYTES;
  private static final int TABLE_BYTES = KEPT_WORD + Long.BYTES;
  private static final int MAPPED = INTENTS_BASE + SLOTS * TABLE_BYTES;
  // Memory mapped on these is one machine's own; on a network file system another machine's runs
  // would count themselves where this one cannot see it.
  static final Set<String> LOCAL_FILE_SYSTEMS = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs",
      "zfs", "f2fs", "apfs", "overlay", "ramfs", "jfs");

  private final FileChannel channel;
  private final MappedByteBuffer counter;
  private final FileLock slot;
  private final int mine;
  private final long joined;
  private volatile boolean alone;
  // The entries of this run's table not in use, one bit each; only a run alone takes any.
  private final AtomicLong freeIntents = new AtomicLong((1L << INTENTS) - 1);
  private volatile boolean tableUsed;
  private final String failure;

  private OtherProcesses(FileChannel channel, MappedByteBuffer counter, FileLock slot, int mine, long joined,
      boolean alone) {
    this(channel, counter, slot, mine, joined, alone, null);
  }

  private OtherProcesses(FileChannel channel, MappedByteBuffer counter, FileLock slot, int mine, long joined,
      boolean alone, String failure) {
    this.failure = failure;
    this.channel = channel;
    this.counter = counter;
    this.slot = slot;
    this.mine = mine;
    this.joined = joined;
    this.alone = alone;
  }

  /** A run that never claims to be alone and sees no other: for dry runs, and runs that could not join. */
  static OtherProcesses unknown() {
    return new OtherProcesses(null, null, null, -1, 0, false);
  }

  /** Joins the runs of the project whose state is kept in {@code file}; never fails. */
  static OtherProcesses join(Path file) {
    return join(file, false, false);
  }

  /**
   * Joins late, once the graph is built, a run that found no {@code file} when it started (so
   * that a run with nothing to do writes nothing): it is alone only if no run has counted itself
   * before it, since every run that joined since it started created or counted in the file.
   */
  static OtherProcesses joinFirst(Path file) {
    return join(file, true, false);
  }

  /**
   * Joins as a run that is never alone (it coordinates with other machines too): seen by the
   * runs of this machine, it makes them take the kernel's locks, and it sees what they hold.
   */
  static OtherProcesses joinNeverAlone(Path file) {
    return join(file, false, true);
  }

  private static OtherProcesses join(Path file, boolean mustBeFirst, boolean neverAlone) {
    FileChannel channel = null;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (!LOCAL_FILE_SYSTEMS.contains(Files.getFileStore(file.toAbsolutePath().getParent()).type())) {
        return unknown();
      }
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock slot = null;
      int mine = -1;
      for (int i = 0; i < SLOTS && slot == null; i++) {
        slot = tryLock(channel, i);
        mine = i;
      }
      if (slot == null) {
        channel.close();
        return unknown();
      }
      MappedByteBuffer counter = channel.map(FileChannel.MapMode.READ_WRITE, 0, MAPPED);
      // What a run that held the slot before left in its table (it died holding tasks) goes
      // before this run counts itself: from then on the table is this run's alone.
      for (int word = 0; word < TABLE_BYTES; word += Long.BYTES) {
        COUNTER.setVolatile(counter, tableStart(mine) + word, 0L);
      }
      long joined = (long) COUNTER.getAndAdd(counter, 0, 1L) + 1;
      boolean alone = !neverAlone && (!mustBeFirst || joined == 1);
      for (int i = 0; i < SLOTS && alone; i++) {
        if (i != mine) {
          FileLock other = tryLock(channel, i);
          alone = other != null;
          if (other != null) {
            other.release();
          }
        }
      }
      return new OtherProcesses(channel, counter, slot, mine, joined, alone);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // nothing was held
        }
      }
      Path stateDir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(stateDir)) {
        return new OtherProcesses(null, null, null, -1, 0, false, "cannot use the state directory " + stateDir
            + " (" + GraphBuilder.describe(e) + "): it holds the task locks and what lets runs of the project see"
            + " each other. Give the run a directory it can create and write (--state-dir)");
      }
      return new OtherProcesses(null, null, null, -1, 0, false, "cannot join the other runs of this project through "
          + file.toAbsolutePath() + " (" + GraphBuilder.describe(e) + "): a run that is alone on the project would not"
          + " see this one, and both could run the same task. Repair or remove that file (no run of the project"
          + " may be going on meanwhile) and run again");
    }
  }

  /**
   * Why this run could not join the others, when an error stopped it (not a lack of slots or a
   * network file system, where runs take the kernel's locks and see each other); null when it
   * joined or need not.
   */
  String failure() {
    return failure;
  }

  private static FileLock tryLock(FileChannel channel, int slot) throws IOException {
    try {
      return channel.tryLock(SLOT_BASE + slot, 1, false);
    } catch (OverlappingFileLockException e) {
      // Another run of this JVM holds it.
      return null;
    }
  }

  /**
   * Whether no other run can have committed anything since this one joined; once false, false
   * for the rest of the run.
   */
  @Override
  public boolean noneSinceJoining() {
    if (!alone) {
      return false;
    }
    if ((long) COUNTER.getVolatile(counter, 0) != joined) {
      alone = false;
    }
    return alone;
  }

  private static int tableStart(int slot) {
    return INTENTS_BASE + slot * TABLE_BYTES;
  }

  /**
   * Holds the task of lock byte {@code offset} by intent (see the class comment): the entry of
   * this run's table that says so, or -1 when this run may not be alone (or its table is full),
   * and the kernel's lock must be taken instead. The task must already be this run's alone
   * within the process ({@link TaskLocks} sees to it).
   */
  int intend(long offset) {
    if (!alone) {
      return -1;
    }
    long free;
    int entry;
    do {
      free = freeIntents.get();
      if (free == 0) {
        return -1;
      }
      entry = Long.numberOfTrailingZeros(free);
    } while (!freeIntents.compareAndSet(free, free & ~(1L << entry)));
    if (!tableUsed) {
      COUNTER.setVolatile(counter, tableStart(mine), 1L);
      tableUsed = true;
    }
    int at = tableStart(mine) + (entry + 1) * Long.BYTES;
    COUNTER.setVolatile(counter, at, offset + 1);
    // Written, then the counter read: a run joining now is seen, or it sees this entry.
    if (noneSinceJoining()) {
      return entry;
    }
    withdraw(entry);
    return -1;
  }

  /** Gives up what {@link #intend} held. */
  void withdraw(int entry) {
    COUNTER.setVolatile(counter, tableStart(mine) + (entry + 1) * Long.BYTES, 0L);
    long free;
    do {
      free = freeIntents.get();
    } while (!freeIntents.compareAndSet(free, free | (1L << entry)));
  }

  /**
   * Whether another run that is alive holds the task of lock byte {@code offset} by intent. Asked
   * after taking the task's lock of the kernel, so that a run alone that wrote its intent before
   * this one counted itself is seen.
   */
  boolean intendedByAnother(long offset) {
    if (counter == null) {
      return false;
    }
    for (int other = 0; other < SLOTS; other++) {
      int start = tableStart(other);
      if (other == mine || (long) COUNTER.getVolatile(counter, start) == 0) {
        continue;
      }
      for (int entry = 1; entry <= INTENTS; entry++) {
        if ((long) COUNTER.getVolatile(counter, start + entry * Long.BYTES) == offset + 1) {
          if (alive(other)) {
            return true;
          }
          break;  // left by a run that died: the next run of its slot clears it
        }
      }
    }
    return false;
  }

  /**
   * Marks that this run keeps records of tasks it built (their fingerprints) without writing them
   * yet, and says whether it still may: only a run alone may, since another would not find them.
   * Marked, then the counter read: a run joining now is seen (false: write them now), or it sees
   * the mark and waits for them ({@link #awaitRecordsOfOthers}).
   */
  @Override
  public boolean keepRecords() {
    if (!alone) {
      return false;
    }
    COUNTER.setVolatile(counter, tableStart(mine) + KEPT_WORD, 1L);
    if (noneSinceJoining()) {
      return true;
    }
    recordsWritten();
    return false;
  }

  /** Every record this run kept is written: see {@link #keepRecords}. */
  @Override
  public void recordsWritten() {
    if (counter != null && mine >= 0) {
      COUNTER.setVolatile(counter, tableStart(mine) + KEPT_WORD, 0L);
    }
  }

  /**
   * Waits until no other run that is alive keeps records it has not written (it writes them
   * within moments of seeing this one), at most {@code limit}; false when one still did then.
   */
  @Override
  public boolean awaitRecordsOfOthers(java.time.Duration limit) throws InterruptedException {
    if (counter == null) {
      return true;
    }
    long deadline = System.nanoTime() + limit.toNanos();
    for (int other = 0; other < SLOTS; other++) {
      if (other == mine) {
        continue;
      }
      while ((long) COUNTER.getVolatile(counter, tableStart(other) + KEPT_WORD) != 0 && alive(other)) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(2);
      }
    }
    return true;
  }

  /** Whether a run holds the slot: its lock is taken, by another process or another run of this JVM. */
  private boolean alive(int other) {
    try {
      FileLock free = tryLock(channel, other);
      if (free == null) {
        return true;
      }
      free.release();
      return false;
    } catch (IOException | RuntimeException e) {
      return true;  // cannot tell: held, to be safe
    }
  }

  @Override
  public void close() {
    alone = false;
    if (channel != null) {
      try {
        slot.release();
        channel.close();
      } catch (IOException ignored) {
        // closing the channel released the lock
      }
    }
  }
}
